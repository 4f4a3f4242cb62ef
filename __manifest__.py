# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Product Serial Tracking",
    "summary": "Unique and batch serial numbers with safe rules, expiry dates "
    "and a complete serial history",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/product-serial-tracking/product_serial_tracking",
    "author": "product_serial_tracking contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["sale_stock", "purchase_stock", "product_expiry"],
    "data": [
        "data/res_groups_data.xml",
        "views/product_template_views.xml",
    ],
    "demo": [
        "demo/product_demo.xml",
        "demo/stock_demo.xml",
    ],
}
