/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";

// The enquiry, as the page shows it: its timeline and the one breadcrumb
// "Serial Numbers" before the serial.
function enquiryOfSteps(serial) {
    return [
        {
            content: `The enquiry of ${serial}, with its timeline`,
            trigger: `.o_form_view .o_last_breadcrumb_item.active:contains(${serial})`,
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=history_ids] .o_data_row:contains(Receipt)",
        },
        {
            content: "Its header carries the enquiry's actions",
            trigger: ".o_form_view .o_form_statusbar button:contains(Print History)",
        },
        {
            content: "One breadcrumb before it: Serial Numbers",
            trigger:
                ".o_breadcrumb:has(.breadcrumb-item:contains(Serial Numbers)):not(:has(.breadcrumb-item + .breadcrumb-item))",
        },
    ];
}

// Serial Numbers: a row click opens the enquiry; a reload and the browser's
// Back button (from a document of the timeline) come back to it.
registry.category("web_tour.tours").add("product_serial_tracking_serial_screens_tour", {
    steps: () => [
        {
            content: "Open a serial from its row",
            trigger: ".o_list_view .o_data_row:contains(SN-SCR-1) td[name=name]",
            run: "click",
        },
        ...enquiryOfSteps("SN-SCR-1"),
        {
            content: "Reload the page",
            trigger: ".o_form_view .o_field_widget[name=history_ids] .o_data_row",
            run() {
                window.location.reload();
            },
        },
        ...enquiryOfSteps("SN-SCR-1"),
        {
            content: "Open the receipt from the timeline",
            trigger:
                ".o_field_widget[name=history_ids] .o_data_row:contains(Receipt) button[name=action_open_document]",
            run: "click",
        },
        {
            content: "The receipt opens",
            trigger: ".o_form_view .o_last_breadcrumb_item.active:contains(WH/IN/)",
        },
        {
            content: "The browser's Back button",
            trigger: ".o_form_view .o_field_widget[name=state]",
            run() {
                window.history.back();
            },
        },
        ...enquiryOfSteps("SN-SCR-1"),
    ],
});

// The enquiry of a corrected serial at its width (its screenshot).
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_serial_enquiry_form_tour", {
        steps: () => [
            {
                trigger:
                    ".o_list_view .o_data_row:contains(CR-GREY-00012) td[name=name]",
                run: "click",
            },
            {
                content: "The correction's link and reason",
                trigger:
                    ".o_form_view .o_field_widget[name=corrected_from_id]:contains(CR-GREY-00021)",
            },
            {
                trigger:
                    ".o_form_view .o_field_widget[name=corrected_from_reason]:contains(Digits swapped)",
            },
            {
                trigger:
                    ".o_field_widget[name=history_ids] .o_data_row:contains(Correction)",
            },
        ],
    });

// The timeline of an invoiced serial (its screenshot): the invoice's number,
// the transfer beside it, and the return made by resetting it to draft.
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_serial_timeline_tour", {
        steps: () => [
            {
                trigger: ".o_list_view .o_data_row:contains(SN-SCR-INV) td[name=name]",
                run: "click",
            },
            {
                content: "The invoice event is named by the invoice's number",
                trigger:
                    ".o_field_widget[name=history_ids] .o_data_row:contains(Invoice) td[name=document_name]:contains(INV/)",
            },
            {
                content: "with its transfer beside it",
                trigger:
                    ".o_field_widget[name=history_ids] .o_data_row:contains(Invoice) td[name=note]:contains(WH/OUT/)",
            },
            {
                content:
                    "The return says it was made by resetting the invoice to draft",
                trigger:
                    ".o_field_widget[name=history_ids] .o_data_row:contains(Return) td[name=note]:contains(reset to draft)",
                run() {
                    document
                        .querySelector(".o_field_widget[name=history_ids]")
                        .scrollIntoView({ block: "end" });
                },
            },
            {
                content: "Dates, events, documents and details are read whole",
                trigger:
                    ".o_field_widget[name=history_ids] .o_data_row td[name=document_name]",
                run() {
                    const cells = ["date", "kind", "document_name", "note"].flatMap(
                        (column) => [
                            ...document.querySelectorAll(
                                `.o_field_widget[name=history_ids] .o_data_row td[name=${column}]`
                            ),
                        ]
                    );
                    const cut = cells.filter(
                        (cell) => cell.scrollWidth > cell.clientWidth + 1
                    );
                    if (cut.length) {
                        throw new Error(
                            `Cut off: ${cut.map((cell) => cell.innerText).join(", ")}`
                        );
                    }
                },
            },
        ],
    });
