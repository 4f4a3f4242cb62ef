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
            content: "The right serial opens, corrected from the wrong one",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_field_widget[name=corrected_from_id]:contains(SN-CORR-TOUR-1)",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=name] input:value(SN-CORR-TOUR-2)",
        },
    ],
});
