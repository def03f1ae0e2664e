from django.urls import path

from . import web_views

app_name = "api_clients"
urlpatterns = [
    path("", web_views.client_list, name="list"),
    path("cap/", web_views.client_create, name="create"),
    path("<int:pk>/doi-ma/", web_views.client_rotate, name="rotate"),
    path("<int:pk>/thu-hoi/", web_views.client_revoke, name="revoke"),
]
