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
