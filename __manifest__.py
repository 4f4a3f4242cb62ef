# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Product Serial Tracking",
    "summary": "Unique and batch serial numbers with safe rules, expiry dates "
    "and a complete serial history",
    "version": "18.0.2.1.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/product-serial-tracking/product_serial_tracking",
    "author": "product_serial_tracking contributors",
    "license": "AGPL-3",
    "development_status": "Beta",
    "depends": [
        "sale_stock",
        "purchase_stock",
        "product_expiry",
        "barcodes_gs1_nomenclature",
        "base_import",
    ],
    "data": [
        "data/res_groups_data.xml",
        "security/ir.model.access.csv",
        "security/stock_lot_history_security.xml",
        "security/stock_serial_facts_security.xml",
        "views/product_template_views.xml",
        "views/stock_lot_views.xml",
        "wizard/stock_lot_correction_views.xml",
        "wizard/stock_lot_write_off_views.xml",
        "wizard/stock_lot_recall_views.xml",
        "security/stock_lot_recall_security.xml",
        "views/account_move_views.xml",
        "views/stock_move_line_views.xml",
        "views/stock_scrap_views.xml",
        "wizard/stock_lot_retrospective_receipt_views.xml",
        "report/stock_lot_history_report.xml",
        "report/report_invoice_templates.xml",
        "views/stock_lot_enquiry_views.xml",
        "wizard/stock_serial_import_views.xml",
        "views/stock_picking_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "product_serial_tracking/static/src/serial_row_menu/*",
            "product_serial_tracking/static/src/serial_list/*",
            "product_serial_tracking/static/src/serial_tags/*",
        ],
        "web.assets_tests": [
            "product_serial_tracking/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "demo": [
        "demo/product_demo.xml",
        "demo/stock_demo.xml",
    ],
}
