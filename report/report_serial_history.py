# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ReportSerialHistory(models.AbstractModel):
    """The Serial History report: only serials the user may read.

    Without it, the serials of another company fail deep in the template
    (an error about QWeb, not about access); here the user is told plainly.
    """

    _name = "report.product_serial_tracking.report_serial_history_document"
    _description = "Serial History Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["stock.lot"].browse(docids)
        docs.check_access("read")
        return {"doc_ids": docs.ids, "doc_model": "stock.lot", "docs": docs}
