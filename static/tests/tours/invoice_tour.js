/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";
import {
    addProductLineSteps,
    confirmInvoiceSteps,
    setCustomerSteps,
} from "@product_serial_tracking/../tests/tours/invoice_steps";

// Customer, a line of the serial-tracked product, the serial picked from the
// drop-down, confirm: the same for every user allowed to invoice.
function pickSerialAndPostSteps() {
    return [
        ...setCustomerSteps("Tour Invoice Customer"),
        ...addProductLineSteps("Tour Invoice Laptop"),
        {
            content: "Pick the serial in stock",
            trigger:
                "div[name=invoice_line_ids] .o_selected_row .o_field_widget[name=lot_ids] input",
            run: "edit SN-INV-TOUR-1",
        },
        {
            content: "The serial is proposed with its quantity in stock",
            trigger: ".ui-menu-item-wrapper:contains(SN-INV-TOUR-1)",
            run: "click",
        },
        {
            trigger:
                "div[name=invoice_line_ids] .o_field_widget[name=lot_ids] .o_tag:contains(SN-INV-TOUR-1)",
        },
        ...confirmInvoiceSteps(),
    ];
}

// A customer invoice of a serial-tracked product: pick the serial on the
// line, confirm, open the delivery the invoice made.
registry.category("web_tour.tours").add("product_serial_tracking_invoice_tour", {
    steps: () => [
        ...pickSerialAndPostSteps(),
        {
            content: "Open the delivery made by the invoice",
            trigger: ".o_form_view button[name=action_view_serial_pickings]",
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
        {
            content: "Show the serial numbers column",
            trigger:
                ".o_field_widget[name=move_ids_without_package] .o_optional_columns_dropdown_toggle",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu input[name=lot_ids]",
            run: "click",
        },
        {
            content: "The delivery shows the serial",
            trigger:
                ".o_field_widget[name=move_ids_without_package] .o_data_row .o_field_widget[name=lot_ids]:contains(SN-INV-TOUR-1)",
        },
        {
            content: "Close the columns menu",
            trigger:
                ".o_field_widget[name=move_ids_without_package] .o_optional_columns_dropdown_toggle",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o-dropdown--menu))",
        },
    ],
});

// The posted invoice shows its serial on the line.
registry.category("web_tour.tours").add("product_serial_tracking_invoice_posted_tour", {
    steps: () => [
        {
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Posted)",
        },
        {
            trigger:
                "div[name=invoice_line_ids] .o_data_row .o_field_widget[name=lot_ids]:contains(SN-INV-TOUR-1)",
        },
    ],
});

// An invoicing user without inventory rights: picks and posts the same way;
// the transfer made by the invoice is not theirs to open.
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_invoice_billing_user_tour", {
        steps: () => [
            ...pickSerialAndPostSteps(),
            {
                content: "No button to a transfer this user may not open",
                trigger:
                    ".o_form_view:not(:has(button[name=action_view_serial_pickings]))",
            },
        ],
    });

// A posted invoice of a batch serial line: the line says what it took of each
// serial; a click on a serial's tag opens the serial's enquiry.
registry.category("web_tour.tours").add("product_serial_tracking_invoice_tags_tour", {
    steps: () => [
        {
            content: "The line shows what it took of each batch serial",
            trigger:
                "div[name=invoice_line_ids] .o_data_row td[name=serial_quantities]:contains(ROLL-TAG-A: 4 Units)",
        },
        {
            trigger:
                "div[name=invoice_line_ids] .o_data_row td[name=serial_quantities]:contains(ROLL-TAG-B: 2 Units)",
        },
        {
            content: "Open the serial from its tag",
            trigger:
                "div[name=invoice_line_ids] .o_data_row .o_field_widget[name=lot_ids] .o_tag:contains(ROLL-TAG-B)",
            run: "click",
        },
        {
            content: "The serial's enquiry opens, with its history",
            trigger: ".o_breadcrumb:contains(ROLL-TAG-B)",
        },
        {
            trigger: ".o_field_widget[name=history_ids] .o_data_row:contains(Receipt)",
        },
    ],
});

// A serial typed on an invoice that was never received: created only once the
// user confirms, knowing it will be flagged for investigation.
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_invoice_new_serial_tour", {
        steps: () => [
            ...setCustomerSteps("Tour Invoice Customer"),
            ...addProductLineSteps("Tour Invoice Laptop"),
            {
                content: "Type a serial that was never received",
                trigger:
                    "div[name=invoice_line_ids] .o_selected_row .o_field_widget[name=lot_ids] input",
                run: "edit SN-NEVER-SEEN",
            },
            {
                trigger: ".o_m2o_dropdown_option_create:contains(SN-NEVER-SEEN)",
                run: "click",
            },
            {
                content: "Asked first: the serial is not in stock",
                trigger: ".modal:contains(was never received)",
            },
            {
                content: "Do not create it",
                trigger: ".modal .modal-footer .btn-secondary",
                run: "click",
            },
            {
                trigger:
                    "body:not(:has(.modal)) div[name=invoice_line_ids] .o_selected_row .o_field_widget[name=lot_ids]:not(:has(.o_tag))",
            },
            {
                content: "Type it again and confirm",
                trigger:
                    "div[name=invoice_line_ids] .o_selected_row .o_field_widget[name=lot_ids] input",
                run: "edit SN-NEVER-SEEN",
            },
            {
                trigger: ".o_m2o_dropdown_option_create:contains(SN-NEVER-SEEN)",
                run: "click",
            },
            {
                trigger: ".modal .modal-footer button:contains(Create and flag it)",
                run: "click",
            },
            {
                content: "The serial is on the line",
                trigger:
                    "div[name=invoice_line_ids] .o_field_widget[name=lot_ids] .o_tag:contains(SN-NEVER-SEEN)",
            },
            {
                trigger: ".o_form_view .o_form_button_save",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_form_saved",
            },
        ],
    });

// A credit note takes back only the serials delivered to its customer: the
// picker offers those, not a serial another customer bought.
registry.category("web_tour.tours").add("product_serial_tracking_credit_note_tour", {
    steps: () => [
        ...setCustomerSteps("Tour Invoice Customer"),
        ...addProductLineSteps("Tour Invoice Laptop"),
        {
            content: "Look for the serials of the product",
            trigger:
                "div[name=invoice_line_ids] .o_selected_row .o_field_widget[name=lot_ids] input",
            run: "edit SN-INV-TOUR",
        },
        {
            content: "The serial delivered to this customer is offered",
            trigger: ".ui-menu-item-wrapper:contains(SN-INV-TOUR-1)",
        },
        {
            content: "The serial another customer bought is not",
            trigger:
                ".o-autocomplete--dropdown-menu:not(:has(.ui-menu-item-wrapper:contains(SN-INV-TOUR-2)))",
        },
        {
            trigger: ".ui-menu-item-wrapper:contains(SN-INV-TOUR-1)",
            run: "click",
        },
        {
            trigger:
                "div[name=invoice_line_ids] .o_field_widget[name=lot_ids] .o_tag:contains(SN-INV-TOUR-1)",
        },
        {
            content: "Confirm the credit note",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_post]",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Posted)",
        },
    ],
});
