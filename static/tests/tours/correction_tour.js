/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";

// A serial entered wrong at receipt: correct it from its form.
registry.category("web_tour.tours").add("product_serial_tracking_correction_tour", {
    steps: () => [
        {
            content: "Correct the wrong serial",
            trigger:
                ".o_form_view .o_form_statusbar button[name=action_correct_serial]",
            run: "click",
        },
        {
            content: "Type the right serial number",
            trigger: ".modal .o_field_widget[name=new_name] input",
            run: "edit SN-CORR-TOUR-2",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Digits transposed at receipt",
        },
        {
            trigger: ".modal .modal-footer button[name=action_apply]",
            run: "click",
        },
        {
            content: "A notification confirms the correction",
            trigger: ".o_notification:contains(received again as SN-CORR-TOUR-2)",
        },
        {
            content: "The right serial's enquiry opens, corrected from the wrong one",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_field_widget[name=corrected_from_id]:contains(SN-CORR-TOUR-1)",
        },
        {
            content: "The reason of the correction is shown",
            trigger:
                ".o_form_view .o_field_widget[name=corrected_from_reason]:contains(Digits transposed at receipt)",
        },
        {
            trigger:
                ".o_form_view .o_last_breadcrumb_item.active:contains(SN-CORR-TOUR-2)",
        },
    ],
});
