from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "盘山县赋权事项登记系统"
admin.site.site_title = "赋权事项登记"
admin.site.index_title = "登记管理"

handler403 = "devolution.views.permission_denied"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("", include("devolution.public.urls")),
]
