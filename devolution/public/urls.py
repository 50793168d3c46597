from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("plan/", views.plan, name="plan"),
    path("items/", views.item_list, name="items"),
    path("items/export.xlsx", views.item_export_xlsx, name="items-xlsx"),
    path("items/export.csv", views.item_export_csv, name="items-csv"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("cancelled/", views.cancelled_list, name="cancelled-list"),
    path("cancelled/<int:pk>/", views.cancelled_detail, name="cancelled"),
    path("departments/<int:pk>/", views.department_detail, name="department"),
    path("evaluations/", views.evaluation_list, name="evaluations"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("changes/", views.changes, name="changes"),
    path("changes/feed.atom", views.changes_feed, name="changes-feed"),
    path("changes/history.csv", views.history_csv, name="history-csv"),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    path("api/items/", views.api_items, name="api-items"),
    path("api/items/<int:pk>/", views.api_item, name="api-item"),
    path("api/cancelled/", views.api_cancelled, name="api-cancelled"),
    path("api/cancelled/<int:pk>/", views.api_cancelled_detail, name="api-cancelled-detail"),
]
