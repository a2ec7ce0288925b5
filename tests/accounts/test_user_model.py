from django.contrib.auth import get_user_model

from accounts.models import User


def test_the_project_uses_its_own_user_model():
    assert get_user_model() is User


def test_a_user_is_shown_by_display_name_then_username(db):
    named = User.objects.create_user("kim", display_name="김캠퍼")
    plain = User.objects.create_user("lee")
    assert str(named) == "김캠퍼"
    assert str(plain) == "lee"
