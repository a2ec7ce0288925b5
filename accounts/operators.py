"""The "Operators" group: how an operator reaches the Django admin.

An operator is a staff user in this group. The group grants model permissions on the accounts
models; *which rows* an operator sees is decided per cohort by the admin (accounts/admin.py,
through `Cohort.objects.run_by(user)`), so the same group serves every cohort. Deleting a cohort
and creating users by hand stay with superusers: operators create accounts by invite or import.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from accounts.models import Cohort, Membership, User

OPERATORS_GROUP = "Operators"

OPERATOR_PERMISSIONS = {
    "cohort": ("view", "add", "change"),
    "nonlearningday": ("view", "add", "change", "delete"),
    "stage": ("view", "add", "change", "delete"),
    "team": ("view", "add", "change", "delete"),
    "membership": ("view", "add", "change", "delete"),
    "invite": ("view", "add", "change", "delete"),
    "user": ("view", "change"),
}


def ensure_operator_group(apps=global_apps):
    """Create or refresh the group with exactly OPERATOR_PERMISSIONS. Idempotent; works with the
    historical app registry of a migration as well as the live one."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    accounts = apps.get_app_config("accounts")
    # Permissions are normally created after all migrations; make sure ours exist now.
    had_module = getattr(accounts, "models_module", None)  # historical stubs lack it
    accounts.models_module = had_module or True
    try:
        create_permissions(accounts, verbosity=0, apps=apps)
    finally:
        accounts.models_module = had_module
    codenames = [
        f"{action}_{model}" for model, actions in OPERATOR_PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="accounts", codename__in=codenames
    )
    group, _ = Group.objects.get_or_create(name=OPERATORS_GROUP)
    group.permissions.set(permissions)
    return group


def grant_operator_access(user) -> None:
    """Let `user` into the admin as an operator: staff, in the Operators group. What they see
    there still depends on the cohorts where they hold the operator role."""
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name=OPERATORS_GROUP).first() or ensure_operator_group()
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(group)


def users_within_reach(user):
    """The accounts `user` may put into a cohort they run, make a mentor or an operator of it, or
    edit in the admin: the members (any role) of the cohorts they run. Anyone else, including an
    account that is in no cohort yet, comes in through an invite link or as a new account of the
    CSV import, never by id: otherwise an operator could pull a stranger's account into their
    cohort and then change its email. Superusers reach everyone."""
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(
        pk__in=Membership.objects.filter(cohort__in=Cohort.objects.run_by(user)).values("user_id")
    )
