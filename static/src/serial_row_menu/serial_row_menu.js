/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { Component, onWillStart } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { pick } from "@web/core/utils/objects";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * The "⋮" menu at the end of each row of the Serial Numbers list.
 *
 * Each entry calls a method of the row's serial, as a button of the row
 * would (the list reloads when the action closes). Entries the user may not
 * use are not shown: the server checks the rights again anyway.
 */
export class SerialRowMenu extends Component {
    static template = "product_serial_tracking.SerialRowMenu";
    static components = { Dropdown, DropdownItem };
    static props = { ...standardWidgetProps };

    setup() {
        onWillStart(async () => {
            [this.isStockUser, this.isStockManager] = await Promise.all([
                user.hasGroup("stock.group_stock_user"),
                user.hasGroup("stock.group_stock_manager"),
            ]);
        });
    }

    get items() {
        const inStock = this.props.record.data.serial_state === "in_stock";
        const items = [
            { key: "enquiry", label: _t("Enquiry"), method: "action_serial_enquiry" },
        ];
        if (inStock && this.isStockUser) {
            items.push({
                key: "write_off",
                label: _t("Write off"),
                method: "action_write_off",
            });
        }
        if (inStock && this.isStockManager) {
            items.push({
                key: "correct",
                label: _t("Correct"),
                method: "action_correct_serial",
            });
        }
        return items;
    }

    onSelected(item) {
        this.env.onClickViewButton({
            clickParams: { type: "object", name: item.method },
            getResParams: () =>
                pick(
                    this.props.record,
                    "context",
                    "evalContext",
                    "resModel",
                    "resId",
                    "resIds"
                ),
        });
    }
}

export const serialRowMenu = {
    component: SerialRowMenu,
    fieldDependencies: [{ name: "serial_state", type: "selection" }],
    listViewWidth: 40,
};

registry.category("view_widgets").add("serial_row_menu", serialRowMenu);
