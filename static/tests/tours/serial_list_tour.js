/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";

// The list at its width (its screenshot): every serial number whole.
registry.category("web_tour.tours").add("product_serial_tracking_serial_list_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains(CR-GREY-00012)",
        },
        {
            content: "The tracking column is hidden by default",
            trigger: ".o_list_view:not(:has(th[data-name=product_tracking]))",
        },
        {
            content: "Serial numbers, statuses and dates are not cut off",
            trigger: ".o_list_view .o_data_row td[name=expiration_date]:contains(/20)",
            run() {
                const columns = [
                    "name",
                    "serial_state",
                    "expiration_date",
                    "warranty_end_date",
                ];
                const cells = columns.flatMap((column) => [
                    ...document.querySelectorAll(
                        `.o_list_view .o_data_row td[name=${column}]`
                    ),
                ]);
                const cut = cells.filter(
                    (cell) => cell.scrollWidth > cell.clientWidth + 1
                );
                if (cut.length) {
                    throw new Error(
                        `Cut off: ${cut.map((cell) => cell.innerText).join(", ")}`
                    );
                }
                const times = [
                    ...document.querySelectorAll(
                        ".o_list_view td[name=expiration_date]"
                    ),
                ].filter((cell) => cell.innerText.includes(":"));
                if (times.length) {
                    throw new Error(`The expiry shows a time: ${times[0].innerText}`);
                }
            },
        },
    ],
});

// A search without a match says so, not how serials come to be listed.
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_serial_no_match_tour", {
        steps: () => [
            {
                trigger: ".o_list_view .o_data_row:contains(SN-SCR-1)",
            },
            {
                content: "Search a serial that does not exist",
                trigger: ".o_searchview_input",
                run: "edit NO-SUCH-SERIAL",
            },
            {
                trigger: ".o_searchview_autocomplete .focus:contains(Serial Number)",
                run: "press Enter",
            },
            {
                content: "No serial matches",
                trigger:
                    ".o_view_nocontent:contains(No serial number matches your search):not(:contains(appear here))",
            },
        ],
    });

// Pivot and graph of the Serial Numbers (their screenshots).
registry.category("web_tour.tours").add("product_serial_tracking_serial_pivot_tour", {
    steps: () => [
        {
            trigger: ".o_control_panel .o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "Serials by product and status",
            trigger: ".o_pivot table th:contains(Tour Grey Carpet)",
        },
        {
            trigger: ".o_pivot table th:contains(In stock)",
        },
    ],
});

registry.category("web_tour.tours").add("product_serial_tracking_serial_graph_tour", {
    steps: () => [
        {
            trigger: ".o_control_panel .o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "Expiries by month",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Warranties ending by month: the serials under warranty",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o_menu_item:contains(Under Warranty)",
            run: "click",
        },
        {
            trigger:
                ".o_group_by_menu .o_accordion_toggle:contains(Warranty End Month)",
            run: "click",
        },
        {
            trigger:
                ".o_group_by_menu .o_accordion_values .o_item_option:contains(Month)",
            run: "click",
        },
        {
            trigger: ".o_facet_value:contains(Warranty End Month)",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Let the chart finish drawing (its screenshot)",
            trigger: ".o_graph_renderer canvas",
            run: () => new Promise((resolve) => setTimeout(resolve, 1500)),
        },
    ],
});

// Invoicing > Customers > Serial Numbers, as an invoicing user: the invoiced
// serial, its enquiry, its invoice number opening the invoice.
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_serial_invoicing_tour", {
        steps: () => [
            {
                content: "Only the invoiced serial is listed",
                trigger:
                    ".o_list_view:has(.o_data_row:contains(SN-SCR-INV)):not(:has(.o_data_row:contains(SN-SCR-1)))",
            },
            {
                trigger: ".o_list_view .o_data_row:contains(SN-SCR-INV) td[name=name]",
                run: "click",
            },
            {
                content: "No stock action for an invoicing user",
                trigger:
                    ".o_form_view .o_form_statusbar:not(:has(button[name=action_write_off])):not(:has(button[name=action_correct_serial]))",
            },
            {
                content: "The invoice event is named by the invoice's number",
                trigger:
                    ".o_field_widget[name=history_ids] .o_data_row:contains(Invoice) td[name=document_name]:contains(INV/)",
            },
            {
                content: "Open the invoice from its number",
                trigger:
                    ".o_form_view button[name=action_open_invoices]:contains(INV/)",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_last_breadcrumb_item.active:contains(INV/)",
            },
        ],
    });

// A whole serial (a scan) finds that serial only; "contains" finds the part.
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_serial_scan_search_tour", {
        steps: () => [
            {
                trigger: ".o_list_view .o_data_row:contains(LT-2026-000102)",
            },
            {
                content: "Scan a whole serial into the search box",
                trigger: ".o_searchview_input",
                run: "edit lt-2026-000101",
            },
            {
                trigger: ".o_searchview_autocomplete:contains(Serial Number contains)",
            },
            {
                trigger: ".o_searchview_autocomplete .focus:contains(Serial Number)",
                run: "press Enter",
            },
            {
                content: "That serial only, not the one whose number starts alike",
                trigger:
                    ".o_list_view:has(.o_data_row:contains(LT-2026-000101)):not(:has(.o_data_row:contains(LT-2026-000102)))",
            },
            {
                trigger: ".o_searchview .o_facet_remove",
                run: "click",
            },
            {
                trigger: ".o_list_view .o_data_row:contains(CR-GREY-00021)",
            },
            {
                content: "The start of a serial",
                trigger: ".o_searchview_input",
                run: "edit cr-grey-0003",
            },
            {
                trigger: ".o_searchview_autocomplete .focus:contains(Serial Number)",
                run: "press Enter",
            },
            {
                trigger:
                    ".o_list_view:has(.o_data_row:contains(CR-GREY-00031)):has(.o_data_row:contains(CR-GREY-00032)):not(:has(.o_data_row:contains(CR-GREY-00021)))",
            },
            {
                trigger: ".o_searchview .o_facet_remove",
                run: "click",
            },
            {
                trigger: ".o_list_view .o_data_row:contains(CR-GREY-00021)",
            },
            {
                content: "Contains: a part of the serial, wherever it is",
                trigger: ".o_searchview_input",
                run: "edit 2026-00010",
            },
            {
                trigger:
                    ".o_searchview_autocomplete li:contains(Serial Number contains) a",
                run: "click",
            },
            {
                trigger:
                    ".o_list_view:has(.o_data_row:contains(LT-2026-000101)):has(.o_data_row:contains(LT-2026-000102)):not(:has(.o_data_row:contains(CR-GREY-00021)))",
            },
        ],
    });

// The search box's choices for a typed serial (its screenshot).
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_serial_search_choices_tour", {
        steps: () => [
            {
                trigger: ".o_list_view .o_data_row:contains(LT-2026-000102)",
            },
            {
                trigger: ".o_searchview_input",
                run: "edit LT-2026-000101",
            },
            {
                trigger:
                    ".o_searchview_autocomplete:contains(Serial Number contains) .focus:contains(Serial Number)",
            },
        ],
    });
