# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Data for the replica check and the load run, under `odoo-bin shell`.

Run by bench/replica_check.py and bench/bench_load.py (through
bench/common.py) on a throw-away database with the addon installed.
Environment: PST_SERIALS (serials received in stock, default 100),
PST_CUSTOMERS (default 10), PST_REPORT_URL (where wkhtmltopdf fetches the
report's styles: the port of the Odoo server about to start), PST_BENCH_DIR
(bench/, whose common.py and serial_data.py build the data).

Receives PST_SERIALS serials of one serial-tracked product, named in the
formats of bench/serial_data.py (``SN700000001-...``, IMEI-like, hex, vendor
prefix, in turn), in one validated receipt, creates the customers and two
users (``pst_reader``,
a stock user, and ``pst_writer``, who posts invoices and moves stock), and
gives the enquiry something to show: one serial invoiced (posted invoice:
delivered, with its customer and invoice number), one written off, one with
an expiry date soon, one to investigate. Commits, then prints one JSON line
with the ids the callers need.
"""

import json
import os
import sys

from odoo import Command, fields

sys.path.insert(0, os.environ["PST_BENCH_DIR"])
import common  # noqa: E402
import serial_data  # noqa: E402

SERIALS = int(os.environ.get("PST_SERIALS", "100"))
CUSTOMERS = int(os.environ.get("PST_CUSTOMERS", "10"))
REPORT_URL = os.environ.get("PST_REPORT_URL")

shell_env = env  # noqa: F821  (given by odoo-bin shell)
env = shell_env(
    user=shell_env.ref("base.user_admin"),
    context={"tracking_disable": True, "mail_create_nolog": True},
)
company = env.company
warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
stock = warehouse.lot_stock_id
suppliers = env.ref("stock.stock_location_suppliers")

if REPORT_URL:
    env["ir.config_parameter"].set_param("report.url", REPORT_URL)

users = env["res.users"].create(
    [
        {
            "name": "PST Reader",
            "login": "pst_reader",
            "password": "pst_reader",
            "groups_id": [Command.set([env.ref("stock.group_stock_user").id])],
        },
        {
            "name": "PST Writer",
            "login": "pst_writer",
            "password": "pst_writer",
            "groups_id": [
                Command.set(
                    [
                        env.ref("stock.group_stock_user").id,
                        env.ref("account.group_account_invoice").id,
                    ]
                )
            ],
        },
    ]
)
customers = env["res.partner"].create(
    [{"name": f"Load Customer {index:03d}"} for index in range(CUSTOMERS)]
)
product = env["product.product"].create(
    common.serial_product_vals("Load Laptop", list_price=100.0, invoice_policy="order")
)

# One receipt of every serial: Odoo's own flow, lines given in one create;
# the names in the generator's formats, in turn.
FORMATS = (
    lambda index: serial_data.sn_name(700_000_000 + index),
    lambda index: serial_data.imei_name(99_999, index),
    lambda index: serial_data.hex_name(10**12 + index),
    lambda index: serial_data.vendor_name(99_999, index),
)
names = [FORMATS[index % len(FORMATS)](index) for index in range(1, SERIALS + 1)]
receipt = common.serial_picking(
    env, warehouse.in_type_id, product, suppliers, stock, names
)
receipt.button_validate()
lots = env["stock.lot"].search([("product_id", "=", product.id)], order="name")
assert len(lots) == SERIALS, (len(lots), SERIALS)

# The enquiry's examples, taken from the end of the list (the load run's
# writers take theirs from the start): invoiced, written off, expiring, odd.
examples = {}
if SERIALS >= 10:
    invoiced, scrapped, expiring, odd = lots[-1], lots[-2], lots[-3], lots[-4]
    invoice = env["account.move"].create(
        common.invoice_vals(
            customers[0].id, product.id, invoiced.ids, fields.Date.today()
        )
    )
    invoice.action_post()
    scrap = env["stock.scrap"].create(
        {
            "product_id": product.id,
            "lot_id": scrapped.id,
            "scrap_qty": 1,
            "location_id": stock.id,
        }
    )
    scrap.action_validate()
    expiring.expiration_date = fields.Datetime.add(fields.Datetime.now(), days=10)
    odd.to_investigate = True
    examples = {
        "invoiced": invoiced.id,
        "invoice": invoice.id,
        "written_off": scrapped.id,
        "expiring": expiring.id,
        "to_investigate": odd.id,
    }
    lots -= invoiced | scrapped | expiring | odd

# What the load run's readers type: from the generator's data when the
# database holds it (bench_load.py's background), else from these serials.
if env["ir.config_parameter"].sudo().get_param(serial_data.IDS):
    typed = serial_data.examples(serial_data.data_ids(env))
else:
    serial = serial_data.sn_name(700_000_000 + 4 * (SERIALS // 8) + 4)
    typed = {
        "exact": serial,
        "prefix": serial[:9],
        "middle": serial[4:11],
        "three": "a3f",
    }

env.cr.commit()
print(
    "PST_DATA "
    + json.dumps(
        {
            "product_id": product.id,
            "lot_ids": lots.ids,
            "customer_ids": customers.ids,
            "examples": examples,
            "typed": {
                key: typed[key] for key in ("exact", "prefix", "middle", "three")
            },
        }
    )
)
