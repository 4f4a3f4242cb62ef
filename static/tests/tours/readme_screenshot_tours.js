/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";

// The Serial Numbers list, loaded (the readme's screenshot of it).
registry.category("web_tour.tours").add("product_serial_tracking_enquiry_list_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains(SN-TOUR-1)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(SN-TOUR-2)",
        },
    ],
});
