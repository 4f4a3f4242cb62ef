/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";
import {
    addProductLineSteps,
    confirmInvoiceSteps,
    setCustomerSteps,
} from "@product_serial_tracking/../tests/tours/invoice_steps";

// Two GS1 codes as a scanner types them under a label (human-readable form).
const GS1_LINES = [
    "(01)04006381333931(17)271231(21)SN-TOUR-GS1-1",
    "(01)04006381333931(17)271231(21)SN-TOUR-GS1-2",
].join("\n");

function openImportSteps() {
    return [
        {
            content: "The receipt offers Import Serials",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_import_serials]",
            run: "click",
        },
        {
            content: "Paste the scanned GS1 codes",
            trigger: ".modal .o_field_widget[name=data] textarea",
            // A function: the "edit ..." string form stops at the first line.
            async run(helpers) {
                await helpers.edit(GS1_LINES);
            },
        },
    ];
}

// Receipt -> Import Serials -> paste GS1 lines -> import -> validate.
registry.category("web_tour.tours").add("product_serial_tracking_serial_import_tour", {
    steps: () => [
        ...openImportSteps(),
        {
            content: "Import them",
            trigger: ".modal button[name=action_import]",
            run: "click",
        },
        {
            content: "The import is confirmed",
            trigger: ".o_notification:contains(2 serial numbers imported)",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Validate the receipt",
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            content: "The receipt is done",
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
    ],
});

// The wizard filled, left open (its screenshot).
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_serial_import_open_tour", {
        steps: () => [
            ...openImportSteps(),
            {
                trigger:
                    ".modal .o_field_widget[name=data] textarea:value(/SN-TOUR-GS1-2/)",
            },
        ],
    });

// The receipt with its Import Serials button (its screenshot).
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_serial_import_receipt_tour", {
        steps: () => [
            {
                content: "The receipt offers Import Serials",
                trigger:
                    ".o_form_view .o_statusbar_buttons button[name=action_import_serials]",
            },
        ],
    });

// An invoice line: a GS1 code typed (scanned) into the serial field finds the
// serial it carries; the invoice is posted.
registry.category("web_tour.tours").add("product_serial_tracking_invoice_scan_tour", {
    steps: () => [
        ...setCustomerSteps("Tour Scan Customer"),
        ...addProductLineSteps("Tour Scan Laptop"),
        {
            content: "Scan a GS1 code into the serial field",
            trigger:
                "div[name=invoice_line_ids] .o_selected_row .o_field_widget[name=lot_ids] input",
            run: "edit (01)04006381333931(17)271231(21)SN-INV-SCAN-1",
        },
        {
            content: "The scanned serial is proposed",
            trigger: ".ui-menu-item-wrapper:contains(SN-INV-SCAN-1)",
            run: "click",
        },
        {
            trigger:
                "div[name=invoice_line_ids] .o_field_widget[name=lot_ids] .o_tag:contains(SN-INV-SCAN-1)",
        },
        ...confirmInvoiceSteps(),
    ],
});

// Wrong lines refused: the message lists them (its screenshot).
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_serial_import_refused_tour", {
        steps: () => [
            {
                trigger:
                    ".o_form_view .o_statusbar_buttons button[name=action_import_serials]",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=data] textarea",
                async run(helpers) {
                    await helpers.edit(
                        [
                            "(01)04006381333931(17)271231(21)SN-TOUR-OK",
                            "(01)04006381333932(21)SN-TOUR-CHECK",
                            "SN-TOUR-DATE;1;2026-13-45",
                            "SN-TOUR-TWO;2",
                            "SN-TOUR-OK",
                        ].join("\n")
                    );
                },
            },
            {
                trigger: ".modal button[name=action_import]",
                run: "click",
            },
            {
                content: "Every wrong line is listed",
                trigger: ".modal:contains(Nothing was imported: 4 lines are wrong)",
            },
        ],
    });
