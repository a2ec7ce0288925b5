import dj_database_url
import psycopg

from config import embedded_db


def test_it_starts_a_postgres_under_the_data_folder_and_reuses_it(tmp_path):
    data_dir = tmp_path / "pg"
    url = embedded_db.url(data_dir)
    try:
        params = dj_database_url.parse(url)
        assert params["HOST"] == str(data_dir)
        assert params["NAME"] == "camplog"
        with psycopg.connect(host=params["HOST"], user="postgres", dbname="camplog") as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        # A second start finds the running server and answers the same URL.
        assert embedded_db.url(data_dir) == url
    finally:
        embedded_db.stop(data_dir)
    assert not (data_dir / "postmaster.pid").exists()
