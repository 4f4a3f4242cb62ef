/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";
import {
    addProductLineSteps,
    confirmInvoiceSteps,
    setCustomerSteps,
} from "@product_serial_tracking/../tests/tours/invoice_steps";

// A company with two warehouses: the invoice shows its Serials Warehouse, the
// line's picker offers the serials of both saying where each is, and the
// serial picked in the second warehouse leaves by that warehouse's delivery.
registry
    .category("web_tour.tours")
    .add("product_serial_tracking_invoice_warehouses_tour", {
        steps: () => [
            ...setCustomerSteps("Tour Warehouse Customer"),
            {
                content: "Open the Other Info tab",
                trigger: ".o_form_view .o_notebook .nav-link[name=other_info]",
                run: "click",
            },
            {
                content: "The invoice sells serials from the first warehouse first",
                trigger:
                    ".o_form_view .o_field_widget[name=serial_warehouse_id] input:value(Main Tour Warehouse)",
            },
            {
                content: "Back to the lines",
                trigger: ".o_form_view .o_notebook .nav-link[name=invoice_tab]",
                run: "click",
            },
            ...addProductLineSteps("Tour Warehouse Laptop"),
            {
                content: "Open the Serial Numbers picker",
                trigger:
                    "div[name=invoice_line_ids] .o_selected_row .o_field_widget[name=lot_ids] input",
                run: "click",
            },
            {
                content: "The serial of the first warehouse says where it is",
                trigger:
                    ".ui-menu-item-wrapper:contains(SN-WH1-TOUR):contains(at Main Tour Warehouse)",
            },
            {
                content: "The serial of the second warehouse says where it is",
                trigger:
                    ".ui-menu-item-wrapper:contains(SN-WH2-TOUR):contains(at Second Tour Warehouse)",
                run: "click",
            },
            {
                trigger:
                    "div[name=invoice_line_ids] .o_field_widget[name=lot_ids] .o_tag:contains(SN-WH2-TOUR)",
            },
            ...confirmInvoiceSteps(),
            {
                content: "Open the delivery made by the invoice",
                trigger: ".o_form_view button[name=action_view_serial_pickings]",
                run: "click",
            },
            {
                content: "The second warehouse delivered the serial",
                trigger:
                    ".o_form_view .o_field_widget[name=picking_type_id]:contains(Second Tour Warehouse: Delivery Orders)",
            },
            {
                trigger:
                    ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
            },
        ],
    });
