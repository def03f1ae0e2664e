from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.activity_log, name="activity_log"),
    path("<str:model_label>/<str:pk>/", views.object_history, name="object_history"),
]
