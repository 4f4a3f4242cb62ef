# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.tests import new_test_user, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestLotChangeLog(SerialTrackingCase):
    """A serial's name, reference, expiry dates, product and company are tracked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yoghurt = cls._create_product(
            "Test Yoghurt Tray", "lot", use_expiration_date=True, expiration_time=20
        )
        cls.manager = new_test_user(
            cls.env, login="change_log_manager", groups="stock.group_stock_manager"
        )

    def setUp(self):
        super().setUp()
        # SerialTrackingCase turns tracking off for speed; these tests need it.
        context = dict(self.env.context)
        context.pop("tracking_disable")
        self.env = self.env(context=context, user=self.manager)

    def _flush_tracking(self):
        """Write the tracking messages, as the end of the transaction would."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _changes(self, lot):
        """{field name: tracking value} of the last message tracking changes."""
        self._flush_tracking()
        message = lot.message_ids.filtered("tracking_value_ids")[:1]
        self.assertEqual(message.author_id, self.manager.partner_id)
        # sudo: reading the tracked field's name needs access to ir.model.fields.
        return {
            value.field_id.name: value for value in message.sudo().tracking_value_ids
        }

    def test_name_change_tracked(self):
        lot = self.env["stock.lot"].create(
            {"name": "SN-LOG-1", "product_id": self.laptop.id}
        )
        self._flush_tracking()
        lot.name = "SN-LOG-2"
        changes = self._changes(lot)
        self.assertEqual(list(changes), ["name"])
        self.assertEqual(changes["name"].old_value_char, "SN-LOG-1")
        self.assertEqual(changes["name"].new_value_char, "SN-LOG-2")

    def test_reference_and_expiry_dates_tracked(self):
        self._receive(self.yoghurt, [("TRAY-LOG", 40)])
        lot = self._lot("TRAY-LOG")
        old_dates = {
            name: lot[name]
            for name in ("expiration_date", "use_date", "removal_date", "alert_date")
        }
        self._flush_tracking()
        new_dates = {
            "expiration_date": datetime(2031, 5, 20, 8, 0),
            "use_date": datetime(2031, 5, 15, 8, 0),
            "removal_date": datetime(2031, 5, 18, 8, 0),
            "alert_date": datetime(2031, 5, 13, 8, 0),
        }
        lot.write(dict(new_dates, ref="Batch 2031-05"))
        changes = self._changes(lot)
        self.assertEqual(set(changes), {"ref", *new_dates})
        self.assertFalse(changes["ref"].old_value_char)
        self.assertEqual(changes["ref"].new_value_char, "Batch 2031-05")
        for name, date in new_dates.items():
            self.assertEqual(changes[name].old_value_datetime, old_dates[name], name)
            self.assertEqual(changes[name].new_value_datetime, date, name)

    def test_product_and_company_tracked(self):
        other_laptop = self._create_product("Test Laptop Pro", "serial")
        lot = self.env["stock.lot"].create(
            {
                "name": "SN-LOG-3",
                "product_id": self.laptop.id,
                "company_id": self.company.id,
            }
        )
        self._flush_tracking()
        lot.write({"product_id": other_laptop.id, "company_id": False})
        changes = self._changes(lot)
        self.assertEqual(set(changes), {"product_id", "company_id"})
        self.assertEqual(changes["product_id"].old_value_char, "Test Laptop")
        self.assertEqual(changes["product_id"].new_value_char, "Test Laptop Pro")
        self.assertEqual(changes["company_id"].old_value_char, self.company.name)
        self.assertFalse(changes["company_id"].new_value_char)

    def test_other_fields_not_tracked(self):
        lot = self.env["stock.lot"].create(
            {"name": "SN-LOG-4", "product_id": self.laptop.id}
        )
        self._flush_tracking()
        lot.note = "<p>Box opened</p>"
        self._flush_tracking()
        self.assertFalse(lot.message_ids.tracking_value_ids)
