/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

// Steps the invoice tours share, on a customer invoice's form.

export function setCustomerSteps(customer) {
    return [
        {
            content: "Set the customer",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: `edit ${customer}`,
        },
        {
            trigger: `.ui-menu-item a:contains(${customer})`,
            run: "click",
        },
    ];
}

export function addProductLineSteps(product) {
    return [
        {
            content: "Add a line",
            trigger:
                "div[name=invoice_line_ids] .o_field_x2many_list_row_add a:contains(Add a line)",
            run: "click",
        },
        {
            content: "Invoice the serial-tracked product",
            trigger:
                "div[name=invoice_line_ids] .o_selected_row .o_list_many2one[name=product_id] input",
            run: `edit ${product}`,
        },
        {
            trigger: `.ui-menu-item-wrapper:contains(${product})`,
            run: "click",
        },
    ];
}

export function confirmInvoiceSteps() {
    return [
        {
            content: "Confirm the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_post]",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Posted)",
        },
    ];
}
