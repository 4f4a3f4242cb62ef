# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError


class StockSerialGuardMixin(models.AbstractModel):
    """The guards of every record that takes a serial from a user.

    Serials come from clients (an RPC call, a stale page): each entry point
    must refuse ids that do not exist, serials of a company the user is not
    working in or of another company than the record's, and users without the
    role the action needs. Move lines, write-offs, invoice lines and the
    wizards share these checks instead of repeating them.
    """

    _name = "stock.serial.guard.mixin"
    _description = "Serial Number Guards"

    # The serial ids a client gives to create() and write() are checked
    # (wizards opened over RPC: nothing else checks them before use).
    _serial_guard_client_ids = False
    # A record's serial (lot_id) must belong to the record's company (Odoo
    # checks it in the views only: an RPC call could move another company's).
    _serial_guard_same_company = False

    @api.constrains(
        lambda self: ["lot_id", "company_id"] if self._serial_guard_same_company else []
    )
    def _check_serial_of_record_company(self):
        self._check_serials_company()

    @api.model_create_multi
    def create(self, vals_list):
        if self._serial_guard_client_ids:
            self._check_serial_ids_allowed(
                [vals["lot_id"] for vals in vals_list if vals.get("lot_id")]
            )
        return super().create(vals_list)

    def write(self, vals):
        if self._serial_guard_client_ids and vals.get("lot_id"):
            self._check_serial_ids_allowed([vals["lot_id"]])
        return super().write(vals)

    @api.model
    def _check_serial_role(self, group, message):
        """Refuse a user without `group` (an XML id) with the caller's message;
        the superuser (sudo, the system) is never refused."""
        if not self.env.su and not self.env.user.has_group(group):
            raise AccessError(message)

    @api.model
    def _check_serial_ids_allowed(self, lot_ids):
        """Refuse serial ids that do not exist or belong to another company.

        Public methods take serial ids from the client: a serial of a company
        the user is not working in (ids forged in an RPC call, a stale client)
        is refused before anything links it, even where the ORM would link it
        without reading it. Serials without company are shared by all.
        """
        self._check_serial_ids_exist(lot_ids)
        if self.env.su:
            return
        # sudo: the company of serials the user may not read; only ids come out.
        foreign = (
            self.env["stock.lot"]
            .sudo()
            .browse(lot_ids)
            .filtered(
                lambda lot: lot.company_id and lot.company_id not in self.env.companies
            )
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "These serial numbers belong to a company you are not working "
                    "in (ids %(ids)s). Choose serials of %(companies)s.",
                    ids=", ".join(str(lot_id) for lot_id in sorted(foreign.ids)),
                    companies=", ".join(self.env.companies.mapped("name")),
                )
            )

    @api.model
    def _check_serial_ids_exist(self, lot_ids):
        """Refuse ids of serials that do not exist (deleted, or a stale client).

        Without this, PostgreSQL refuses the reference with an SQL error.
        """
        if not all(
            isinstance(lot_id, int) and not isinstance(lot_id, bool)
            for lot_id in lot_ids
        ):
            raise UserError(
                self.env._(
                    "Serial numbers are given by their id: %(values)s is not one.",
                    values=", ".join(repr(lot_id) for lot_id in lot_ids),
                )
            )
        ids = set(lot_ids)
        # sudo: existence only; access is checked when the serials are used.
        missing = ids - set(self.env["stock.lot"].sudo().browse(ids).exists().ids)
        if missing:
            raise UserError(
                self.env._(
                    "These serial numbers no longer exist (deleted by someone "
                    "else?): ids %(ids)s. Reload the page and choose them again.",
                    ids=", ".join(str(lot_id) for lot_id in sorted(missing)),
                )
            )

    def _check_serials_company(self):
        """Refuse records of self whose serial (lot_id) is of another company
        than theirs; serials without company are shared."""
        # sudo: the serial's company, also where the user may not read it.
        wrong = self.sudo().filtered(
            lambda record: record.lot_id.company_id
            and record.company_id
            and record.lot_id.company_id != record.company_id
        )
        if wrong:
            raise ValidationError(
                self.env._(
                    "A serial number of one company cannot be used by another:\n"
                    "%(serials)s",
                    serials="\n".join(
                        self.env._(
                            "- %(serial)s belongs to %(owner)s, not to %(company)s",
                            serial=record.lot_id.name,
                            owner=record.lot_id.company_id.name,
                            company=record.company_id.name,
                        )
                        for record in wrong
                    ),
                )
            )
