"""Camplog's admin site: Django's, with every model admin refusing a forged selection.

An action posted with a selected id that is not one (`_selected_action=''`, `x`, a number past
bigint) reached the database and came back as a 500 from every changelist, Django's own too.
`register` mixes the check into each admin class, whichever app registers it.
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseBadRequest
from django.utils.translation import gettext as _


class KnownSelection:
    def response_action(self, request: HttpRequest, queryset):
        pk = self.model._meta.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                pk.clean(value, None)
        except ValidationError:
            return HttpResponseBadRequest(_("The selection names rows that do not exist."))
        return super().response_action(request, queryset)


class CamplogAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, KnownSelection):
            admin_class = type(admin_class.__name__, (KnownSelection, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)


class CamplogAdminConfig(AdminConfig):
    default_site = "config.admin_site.CamplogAdminSite"
