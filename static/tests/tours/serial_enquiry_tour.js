/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";

// Serial Numbers: search a serial, open its row menu, open the enquiry.
registry.category("web_tour.tours").add("product_serial_tracking_serial_enquiry", {
    steps: () => [
        {
            content: "Search a part of the serial number",
            trigger: ".o_searchview_input",
            run: "edit TOUR-1",
        },
        {
            content: "The first proposal searches the serial number",
            trigger: ".o_searchview_autocomplete .focus:contains(Serial Number)",
            run: "press Enter",
        },
        {
            content: "Only the serial searched is listed",
            trigger: ".o_list_view:not(:has(.o_data_row:contains(SN-TOUR-2)))",
        },
        {
            content: "Open the row menu",
            trigger: ".o_data_row:contains(SN-TOUR-1) .o_serial_row_menu_toggler",
            run: "click",
        },
        {
            content: "A stock manager may write off and correct",
            trigger: ".o-dropdown--menu .o_serial_row_menu_correct",
        },
        {
            trigger: ".o-dropdown--menu .o_serial_row_menu_write_off",
        },
        {
            content: "Open the enquiry",
            trigger: ".o-dropdown--menu .o_serial_row_menu_enquiry",
            run: "click",
        },
        {
            content: "The enquiry shows the status and the timeline",
            trigger:
                ".o_form_view .o_field_widget[name=serial_state]:contains(In stock)",
        },
        {
            trigger: ".o_field_widget[name=history_ids] .o_data_row:contains(Receipt)",
        },
        {
            content: "Reload the page",
            trigger: ".o_form_view .o_last_breadcrumb_item.active:contains(SN-TOUR-1)",
            run() {
                window.location.reload();
            },
        },
        {
            content: "Still the enquiry",
            trigger:
                ".o_form_view .o_field_widget[name=history_ids] .o_data_row:contains(Receipt)",
        },
        {
            trigger: ".o_form_view .o_form_statusbar button:contains(Print History)",
        },
    ],
});

// A stock user (not a manager) is not offered Correct.
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_serial_row_menu_user", {
        steps: () => [
            {
                trigger: ".o_data_row:contains(SN-TOUR-1) .o_serial_row_menu_toggler",
                run: "click",
            },
            {
                trigger: ".o-dropdown--menu .o_serial_row_menu_write_off",
            },
            {
                content: "No Correct entry for a stock user",
                trigger: ".o-dropdown--menu:not(:has(.o_serial_row_menu_correct))",
            },
            {
                content: "Write off opens the prefilled write-off",
                trigger: ".o-dropdown--menu .o_serial_row_menu_write_off",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=lot_id] input:value(SN-TOUR-1)",
            },
        ],
    });
