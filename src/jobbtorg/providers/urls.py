"""Provider pages come from two modules: the register and authorisation (urls_providers) and customer
choice (urls_choice)."""

from . import urls_choice, urls_providers

app_name = "providers"
urlpatterns = urls_providers.urlpatterns + urls_choice.urlpatterns
