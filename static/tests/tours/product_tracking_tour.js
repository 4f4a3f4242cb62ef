/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";

// The product form offers the serial modes in the users' words, with a help
// line that follows the choice.
registry.category("web_tour.tours").add("product_serial_tracking_product_form", {
    steps: () => [
        {
            content: "The unique serial mode is shown with its help line",
            trigger:
                "div[name=serial_tracking_help]:contains(One unit per serial (computers, TVs))",
        },
        {
            content: "Choose batch serial numbers",
            trigger: ".o_field_widget[name=tracking] select",
            run: "selectByLabel Multiple quantity (batch) serial number",
        },
        {
            content: "The help line follows",
            trigger:
                "div[name=serial_tracking_help]:contains(One serial covers a quantity (a roll of carpet, a pallet of tiles))",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_renderer.o_form_saved",
        },
    ],
});
