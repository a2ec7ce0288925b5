"""The Django admin for operators: scoped to the cohorts they run; the calendar checked whole."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Cohort, Invite, Membership, NonLearningDay, Stage, Team
from accounts.operators import OPERATORS_GROUP, grant_operator_access
from tests import factories

D = dt.date


@pytest.fixture
def operator(operator):
    grant_operator_access(operator)
    return operator


@pytest.fixture
def foreign_operator(foreign_operator):
    grant_operator_access(foreign_operator)
    return foreign_operator


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:accounts_{name}", args=args)


# Who gets in


def test_a_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("persona", ["learner", "mentor", "outsider"])
def test_people_without_staff_status_do_not_get_in(request, login, persona):
    response = login(request.getfixturevalue(persona)).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_an_operator_gets_in_and_the_admin_speaks_korean(login, operator):
    response = login(operator).get("/admin/", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 200
    assert '<html lang="ko"' in response.text and "로그아웃" in response.text
    assert admin_url("cohort_changelist") in response.text


def test_the_operators_group_grants_the_accounts_models_but_not_deleting_cohorts_or_users(db):
    codenames = set(
        Group.objects.get(name=OPERATORS_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {
        "change_cohort",
        "add_membership",
        "delete_stage",
        "add_invite",
        "view_user",
    } <= codenames
    assert not codenames & {"delete_cohort", "add_user", "delete_user"}


# Scoping: lists


def test_an_operator_lists_only_the_cohorts_they_run(login, operator, foreign_operator):
    response = login(operator).get(admin_url("cohort_changelist"))
    assert "부스트캠프 AI Tech 3기" in response.text and "다른 기수" not in response.text


def test_a_superuser_lists_every_cohort(login, superuser, operator, foreign_operator):
    response = login(superuser).get(admin_url("cohort_changelist"))
    assert "부스트캠프 AI Tech 3기" in response.text and "다른 기수" in response.text


def test_memberships_are_scoped_searchable_and_filterable(
    login, operator, learner, other_learner, foreign_operator
):
    client = login(operator)
    listed = client.get(admin_url("membership_changelist")).context["cl"].result_list
    assert {m.user.username for m in listed} == {
        "learner",
        "other_learner",
        "operator",
        "mentor",
        "other_mentor",
    }
    found = (
        client.get(admin_url("membership_changelist"), {"q": "이캠퍼"}).context["cl"].result_list
    )
    assert [m.user.username for m in found] == ["learner"]
    learners = (
        client.get(admin_url("membership_changelist"), {"role__exact": "learner"})
        .context["cl"]
        .result_list
    )
    assert {m.user.username for m in learners} == {"learner", "other_learner"}


def test_the_cohort_filter_offers_only_the_operators_cohorts(login, operator, foreign_operator):
    second = factories.make_cohort(
        "ai-tech-4", name="부스트캠프 AI Tech 4기", start_date=D(2022, 1, 3)
    )
    factories.join(operator, second, "operator")
    response = login(operator).get(admin_url("membership_changelist"))
    specs = response.context["cl"].filter_specs
    choices = next(spec for spec in specs if spec.field_path == "cohort")
    assert sorted(label for _, label in choices.lookup_choices) == [
        "부스트캠프 AI Tech 3기",
        "부스트캠프 AI Tech 4기",
    ]


def test_autocomplete_finds_only_people_of_the_operators_cohorts(
    login, operator, learner, foreign_operator
):
    response = login(operator).get(
        "/admin/autocomplete/",
        {"app_label": "accounts", "model_name": "membership", "field_name": "user", "term": "o"},
    )
    names = {row["text"] for row in response.json()["results"]}
    assert names == {"이캠퍼", "김멘토", "operator"}  # every email has an "o"; none from elsewhere


# Scoping: another cohort's pages are 404


@pytest.fixture
def foreign_objects(cohort, team, learner, operator):
    membership = Membership.objects.get(user=learner)
    invite = Invite.objects.create(cohort=cohort)
    return {
        "cohort change": admin_url("cohort_change", cohort.pk),
        "cohort history": admin_url("cohort_history", cohort.pk),
        "cohort import": admin_url("cohort_import", cohort.pk),
        "team change": admin_url("team_change", team.pk),
        "team delete": admin_url("team_delete", team.pk),
        "membership change": admin_url("membership_change", membership.pk),
        "membership delete": admin_url("membership_delete", membership.pk),
        "invite change": admin_url("invite_change", invite.pk),
        "user change": admin_url("user_change", learner.pk),
    }


@pytest.mark.parametrize(
    "page",
    [
        "cohort change",
        "cohort history",
        "cohort import",
        "team change",
        "team delete",
        "membership change",
        "membership delete",
        "invite change",
        "user change",
    ],
)
def test_an_operator_of_another_cohort_gets_404(login, foreign_operator, foreign_objects, page):
    client = login(foreign_operator)
    assert client.get(foreign_objects[page]).status_code == 404
    assert client.post(foreign_objects[page], {}).status_code == 404


@pytest.mark.parametrize(
    "page", ["cohort change", "team change", "membership change", "invite change", "user change"]
)
def test_the_cohorts_own_operator_and_a_superuser_open_them(
    login, operator, superuser, foreign_objects, page
):
    assert login(operator).get(foreign_objects[page]).status_code == 200
    assert login(superuser).get(foreign_objects[page]).status_code == 200


def test_an_operator_cannot_pick_another_cohort_in_a_form(login, operator, foreign_operator):
    form = login(operator).get(admin_url("team_add")).context["adminform"].form
    assert list(form.fields["cohort"].queryset.values_list("slug", flat=True)) == ["ai-tech-3"]


def test_an_operator_cannot_post_into_another_cohort(login, operator, foreign_operator):
    other = Cohort.objects.get(slug="other-cohort")
    response = login(operator).post(admin_url("team_add"), {"cohort": other.pk, "name": "몰래"})
    assert response.status_code == 200  # the form refuses the choice
    assert not Team.objects.filter(name="몰래").exists()


def test_an_operator_cannot_delete_a_cohort(login, operator, cohort):
    assert login(operator).get(admin_url("cohort_delete", cohort.pk)).status_code == 403


# The cohort page: calendar and teams inline


def cohort_form(cohort: Cohort, *, holidays=None, stages=None, teams=None, **fields) -> dict:
    """POST data for the cohort change page; inline rows are dicts (with "id" for existing ones)."""
    data = {
        "name": cohort.name,
        "slug": cohort.slug,
        "description": cohort.description,
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "time_zone": cohort.time_zone,
        "cutoff_hour": cohort.cutoff_hour,
        "daily_template": cohort.daily_template,
        "weekly_template": cohort.weekly_template,
        **fields,
    }
    if holidays is None:
        holidays = [
            {"id": d.pk, "date": d.date, "name": d.name} for d in cohort.non_learning_days.all()
        ]
    if stages is None:
        stages = [
            {
                "id": s.pk,
                "name": s.name,
                "slug": s.slug,
                "start_date": s.start_date,
                "end_date": s.end_date,
            }
            for s in cohort.stages.all()
        ]
    if teams is None:
        teams = [{"id": t.pk, "name": t.name} for t in cohort.teams.all()]
    for prefix, rows in (("non_learning_days", holidays), ("stages", stages), ("teams", teams)):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = sum(1 for row in rows if row.get("id"))
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, row in enumerate(rows):
            for key, value in row.items():
                if value is None:
                    continue
                data[f"{prefix}-{i}-{key}"] = (
                    value.isoformat() if isinstance(value, dt.date) else value
                )
            data[f"{prefix}-{i}-cohort"] = cohort.pk
    return data


def test_the_cohort_page_has_the_calendar_and_teams_inline_and_links_to_the_board(
    login, operator, cohort, team
):
    response = login(operator).get(admin_url("cohort_change", cohort.pk))
    assert response.status_code == 200
    assert "lv1-u-stage" in response.text and "설날" in response.text and "7조" in response.text
    assert reverse("logs:board", args=[cohort.slug]) in response.text
    assert admin_url("cohort_import", cohort.pk) in response.text


def test_saving_the_cohort_unchanged_works(login, operator, cohort, team):
    response = login(operator).post(admin_url("cohort_change", cohort.pk), cohort_form(cohort))
    assert response.status_code == 302


def test_a_new_stage_and_holiday_are_saved(login, operator, cohort, team):
    data = cohort_form(cohort)
    stages = [
        *_stages(cohort),
        {
            "name": "Level 1 P-stage",
            "slug": "lv1-p-stage",
            "start_date": D(2022, 2, 14),
            "end_date": D(2022, 3, 11),
        },
    ]
    holidays = [*_holidays(cohort), {"date": D(2022, 3, 1), "name": "삼일절"}]
    data = cohort_form(cohort, stages=stages, holidays=holidays)
    assert login(operator).post(admin_url("cohort_change", cohort.pk), data).status_code == 302
    assert cohort.stages.count() == 2 and cohort.non_learning_days.filter(name="삼일절").exists()


def _stages(cohort):
    return [
        {
            "id": s.pk,
            "name": s.name,
            "slug": s.slug,
            "start_date": s.start_date,
            "end_date": s.end_date,
        }
        for s in cohort.stages.all()
    ]


def _holidays(cohort):
    return [{"id": d.pk, "date": d.date, "name": d.name} for d in cohort.non_learning_days.all()]


def test_overlapping_stages_are_refused_by_name_and_nothing_is_saved(login, operator, cohort, team):
    stages = [
        *_stages(cohort),
        {
            "name": "겹치는 단계",
            "slug": "overlap",
            "start_date": D(2022, 2, 7),
            "end_date": D(2022, 3, 1),
        },
    ]
    data = cohort_form(cohort, stages=stages, name="새 이름")
    response = login(operator).post(admin_url("cohort_change", cohort.pk), data)
    assert response.status_code == 200
    assert (
        "overlap" in response.text
        and "겹치는 단계" in response.text
        and "Level 1 U-stage" in response.text
    )
    cohort.refresh_from_db()
    assert cohort.name == "부스트캠프 AI Tech 3기" and cohort.stages.count() == 1


def test_a_holiday_outside_the_cohort_is_refused_on_its_row(login, operator, cohort, team):
    holidays = [*_holidays(cohort), {"date": D(2022, 7, 1), "name": "방학"}]
    response = login(operator).post(
        admin_url("cohort_change", cohort.pk), cohort_form(cohort, holidays=holidays)
    )
    assert response.status_code == 200
    assert "2022-07-01 is outside the cohort" in response.text
    assert not NonLearningDay.objects.filter(name="방학").exists()


def test_a_stage_outside_the_cohort_is_refused(login, operator, cohort, team):
    stages = [
        *_stages(cohort),
        {"name": "Late", "slug": "late", "start_date": D(2022, 6, 1), "end_date": D(2022, 7, 1)},
    ]
    response = login(operator).post(
        admin_url("cohort_change", cohort.pk), cohort_form(cohort, stages=stages)
    )
    assert response.status_code == 200 and "must lie within the cohort" in response.text
    assert not Stage.objects.filter(slug="late").exists()


def test_moving_the_end_before_a_stage_is_refused_before_the_database_sees_it(
    login, operator, cohort, team
):
    response = login(operator).post(
        admin_url("cohort_change", cohort.pk), cohort_form(cohort, end_date="2022-02-01")
    )
    assert response.status_code == 200 and "must lie within the cohort" in response.text
    cohort.refresh_from_db()
    assert cohort.end_date == D(2022, 6, 10)


def test_an_end_before_the_start_is_one_clear_message(login, operator, cohort, team):
    response = login(operator).post(
        admin_url("cohort_change", cohort.pk),
        cohort_form(cohort, holidays=[], stages=[], start_date="2022-06-10", end_date="2022-01-17"),
    )
    assert response.status_code == 200
    assert response.text.count("is before the start date") == 1


def test_a_duplicate_holiday_is_refused(login, operator, cohort, team):
    holidays = [*_holidays(cohort), {"date": D(2022, 1, 31), "name": "또 설날"}]
    response = login(operator).post(
        admin_url("cohort_change", cohort.pk), cohort_form(cohort, holidays=holidays)
    )
    assert response.status_code == 200
    assert cohort.non_learning_days.count() == 3


def test_moving_cohort_and_stages_together_in_one_save_works(login, operator, cohort, team):
    stages = [{**_stages(cohort)[0], "start_date": D(2023, 1, 2), "end_date": D(2023, 2, 3)}]
    data = cohort_form(
        cohort, holidays=[], stages=stages, start_date="2023-01-02", end_date="2023-06-30"
    )
    # The three old holidays are deleted through their rows.
    data.update(
        {
            f"non_learning_days-{i}-{k}": v
            for i, h in enumerate(_holidays(cohort))
            for k, v in (
                ("id", h["id"]),
                ("date", h["date"].isoformat()),
                ("name", h["name"]),
                ("DELETE", "on"),
                ("cohort", cohort.pk),
            )
        }
    )
    data["non_learning_days-TOTAL_FORMS"] = data["non_learning_days-INITIAL_FORMS"] = 3
    response = login(operator).post(admin_url("cohort_change", cohort.pk), data)
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.start_date == D(2023, 1, 2) and cohort.stages.get().start_date == D(2023, 1, 2)


def test_an_operator_who_creates_a_cohort_runs_it(login, operator):
    client = login(operator)
    data = cohort_form(
        Cohort(
            name="AI Tech 4기", slug="ai-tech-4", start_date=D(2022, 9, 19), end_date=D(2023, 2, 10)
        ),
        holidays=[{"date": D(2022, 10, 3), "name": "개천절"}],
        stages=[],
        teams=[{"name": "1조"}],
    )
    for key in [k for k in data if k.endswith("-cohort")]:
        del data[key]
    response = client.post(admin_url("cohort_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else None
    new = Cohort.objects.get(slug="ai-tech-4")
    assert Membership.objects.get(user=operator, cohort=new).role == "operator"
    assert new.teams.get().name == "1조"
    assert client.get(admin_url("cohort_change", new.pk)).status_code == 200


# Other admins


def test_an_invite_records_its_creator_and_shows_its_link(login, operator, cohort, team):
    client = login(operator)
    response = client.post(
        admin_url("invite_add"),
        {
            "cohort": cohort.pk,
            "team": team.pk,
            "note": "7조 추가 인원",
            "max_uses": 3,
            "expires_at_0": "2030-01-01",
            "expires_at_1": "12:00:00",
        },
    )
    assert response.status_code == 302
    invite = Invite.objects.get(note="7조 추가 인원")
    assert invite.created_by == operator and invite.max_uses == 3
    page = client.get(admin_url("invite_change", invite.pk))
    assert invite.get_absolute_url() in page.text


def test_an_invite_team_must_be_of_its_cohort(login, superuser, cohort, team):
    other = factories.make_cohort("other")
    response = login(superuser).post(
        admin_url("invite_add"),
        {
            "cohort": other.pk,
            "team": team.pk,
            "max_uses": 1,
            "expires_at_0": "2030-01-01",
            "expires_at_1": "12:00:00",
        },
    )
    assert response.status_code == 200 and "another cohort" in response.text


def test_operators_revoke_invites_in_bulk(login, operator, cohort):
    invites = [Invite.objects.create(cohort=cohort) for _ in range(2)]
    response = login(operator).post(
        admin_url("invite_changelist"),
        {"action": "revoke", "_selected_action": [i.pk for i in invites]},
    )
    assert response.status_code == 302
    assert all(not i.is_usable for i in Invite.objects.all())


def test_making_someone_an_operator_lets_them_into_the_admin(login, operator, cohort, learner):
    next_cohort = factories.make_cohort("next")
    factories.join(operator, next_cohort, "operator")
    response = login(operator).post(
        admin_url("membership_add"),
        {"user": learner.pk, "cohort": next_cohort.pk, "role": "operator"},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.is_staff and learner.groups.filter(name=OPERATORS_GROUP).exists()


@pytest.mark.parametrize("role", ["learner", "operator"])
def test_an_operator_cannot_add_someone_of_another_cohort_to_theirs(
    login, operator, cohort, foreign_operator, role
):
    stranger = factories.make_user("stranger")
    factories.join(stranger, Cohort.objects.get(slug="other-cohort"), "learner")
    response = login(operator).post(
        admin_url("membership_add"), {"user": stranger.pk, "cohort": cohort.pk, "role": role}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text
    stranger.refresh_from_db()
    assert not stranger.memberships.filter(cohort=cohort).exists() and not stranger.is_staff


def test_an_operator_cannot_add_an_account_of_no_cohort_by_id(login, operator, cohort, outsider):
    response = login(operator).post(
        admin_url("membership_add"), {"user": outsider.pk, "cohort": cohort.pk, "role": "learner"}
    )
    assert response.status_code == 200 and not outsider.memberships.exists()


def test_an_operator_cannot_make_another_cohorts_person_a_mentor(login, operator, team):
    stranger = factories.make_user("stranger")
    factories.join(stranger, factories.make_cohort("elsewhere"), "mentor")
    response = login(operator).post(
        admin_url("team_change", team.pk),
        {"name": team.name, "cohort": team.cohort_id, "mentors": [stranger.pk]},
    )
    assert response.status_code == 200 and not team.mentors.filter(pk=stranger.pk).exists()


def test_a_mentor_membership_with_a_team_is_refused_clearly(login, operator, cohort, team, learner):
    response = login(operator).post(
        admin_url("membership_add"),
        {"user": learner.pk, "cohort": cohort.pk, "role": "mentor", "team": team.pk},
    )
    assert response.status_code == 200 and "Only learners belong to a team" in response.text


# Users


def test_an_operator_edits_a_learners_name_but_not_their_rights_or_password(
    login, operator, learner
):
    client = login(operator)
    page = client.get(admin_url("user_change", learner.pk))
    assert page.context["has_change_permission"]
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in page.text
    assert "../password/" not in page.text
    response = client.post(
        admin_url("user_change", learner.pk),
        {
            "username": "learner",
            "email": "learner@example.com",
            "display_name": "이캠퍼(수정)",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (
        learner.display_name == "이캠퍼(수정)" and not learner.is_superuser and not learner.is_staff
    )
    assert (
        client.get(reverse("admin:auth_user_password_change", args=[learner.pk])).status_code == 403
    )


def test_an_operator_cannot_change_another_staff_account(login, operator, cohort):
    other_operator = factories.make_user("op2", is_staff=True)
    factories.join(other_operator, cohort, "operator")
    client = login(operator)
    assert client.get(admin_url("user_change", other_operator.pk)).status_code == 200  # view only
    response = client.post(admin_url("user_change", other_operator.pk), {"username": "hijacked"})
    assert response.status_code == 403


def test_an_operator_cannot_change_someone_who_is_also_in_another_cohort(login, operator, learner):
    factories.join(learner, factories.make_cohort("elsewhere"), "learner")
    assert (
        not login(operator)
        .get(admin_url("user_change", learner.pk))
        .context["has_change_permission"]
    )


def test_an_operator_cannot_add_users_by_hand(login, operator):
    assert login(operator).get(admin_url("user_add")).status_code == 403


# Query counts


def _grow(cohort, n: int) -> None:
    for i in range(n):
        team = factories.make_team(cohort, f"{100 + i}조", mentors=[factories.make_user()])
        for _ in range(3):
            factories.join(factories.make_user(), cohort, "learner", team)
        Invite.objects.create(cohort=cohort, team=team)


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize(
    ("page", "queries"),
    [
        # Each row's cohort, team and user come with the row (list_select_related), not one by one.
        ("membership_changelist", 11),
        # Mentors are prefetched and learner counts annotated: no query per team.
        ("team_changelist", 9),
        # Learner and team counts are annotated and weeks computed without the calendar tables.
        ("cohort_changelist", 9),
        ("invite_changelist", 10),
    ],
)
def test_admin_lists_answer_in_constant_queries(
    login, operator, cohort, django_assert_num_queries, size, page, queries
):
    _grow(cohort, size)
    client = login(operator)
    with django_assert_num_queries(queries):
        assert client.get(admin_url(page)).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_the_cohort_page_answers_in_constant_queries(
    login, operator, cohort, django_assert_num_queries, size
):
    """Inline teams come with their learner counts annotated and the mentors of every team in one
    prefetch, not a query per team."""
    _grow(cohort, size)
    client = login(operator)
    # session with its user, scope, cohort, two permission lookups, holidays, stages, teams, mentors
    with django_assert_num_queries(9):
        assert client.get(admin_url("cohort_change", cohort.pk)).status_code == 200
