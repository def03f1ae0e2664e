from django.urls import path

from . import views, views_dashboard

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("xuat.xlsx", views.report_list_export, name="list_export"),
    path("lap/", views.report_open, name="open"),
    path("tinh-hinh-nop/", views.status_page, name="status"),
    path("tinh-hinh-nop/xuat.xlsx", views.status_export, name="status_export"),
    path("gia-han/", views.extension_create, name="extension"),
    path("tong-hop/", views_dashboard.dashboard_page, name="dashboard"),
    path("tong-hop/xuat.xlsx", views_dashboard.dashboard_export, name="dashboard_export"),
    path("tong-hop/bieu-do/xuat.xlsx", views_dashboard.chart_export, name="chart_export"),
    path("tong-hop/bieu-do/tai.svg", views_dashboard.chart_svg, name="chart_svg"),
    path("tong-hop/ban-ghi/", views_dashboard.dashboard_records, name="records"),
    path("tong-hop/ban-ghi/xuat.xlsx", views_dashboard.records_export, name="records_export"),
    path("tong-hop/theo-bao-cao/", views_dashboard.dashboard_reported, name="reported"),
    path(
        "tong-hop/theo-bao-cao/xuat.xlsx",
        views_dashboard.reported_export,
        name="reported_export",
    ),
    path("tong-hop/lam-moi/", views_dashboard.summary_refresh, name="refresh"),
    path(
        "tong-hop/lam-moi/tien-do/",
        views_dashboard.summary_refresh_status,
        name="refresh_status",
    ),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/so-lieu/", views.report_entries, name="entries"),
    path("<int:pk>/tinh-lai/", views.report_refill, name="refill"),
    path("<int:pk>/buoc/", views.report_step, name="step"),
    path("<int:pk>/tai/<str:fmt>/", views.report_download, name="download"),
]
