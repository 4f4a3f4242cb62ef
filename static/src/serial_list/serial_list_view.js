/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { markup } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { escape } from "@web/core/utils/strings";
import { ListController } from "@web/views/list/list_controller";
import { ListRenderer } from "@web/views/list/list_renderer";
import { listView } from "@web/views/list/list_view";

/**
 * The Serial Numbers list (js_class="serial_enquiry_list").
 *
 * Odoo shows the action's help for any empty result. Its help says how
 * serials come to be listed, which is right only when there is none at all:
 * a search (filter, group or typed text) that matches nothing says so
 * instead.
 */
export class SerialEnquiryListRenderer extends ListRenderer {
    static template = "product_serial_tracking.SerialEnquiryListRenderer";

    get isSearching() {
        const searchModel = this.env.searchModel;
        return Boolean(searchModel && searchModel.facets.length);
    }

    get showNoContentHelper() {
        const { model } = this.props.list;
        if (this.isSearching && !model.useSampleModel && !model.hasData()) {
            return true;
        }
        return super.showNoContentHelper;
    }

    get serialNoContentHelp() {
        const { model } = this.props.list;
        if (this.isSearching && !model.useSampleModel) {
            return markup(
                `<p class="o_view_nocontent_empty_folder">${escape(
                    _t("No serial number matches your search")
                )}</p><p>${escape(
                    _t(
                        "Search by another part of the number, its product, customer or invoice, or remove a filter."
                    )
                )}</p>`
            );
        }
        return this.props.noContentHelp;
    }
}

/**
 * Its root carries o_serial_enquiry_list: the search box's choices are as
 * wide as the serial typed in them (serial_list_view.scss).
 */
export class SerialEnquiryListController extends ListController {
    get className() {
        return `${super.className || ""} o_serial_enquiry_list`;
    }
}

export const serialEnquiryListView = {
    ...listView,
    Controller: SerialEnquiryListController,
    Renderer: SerialEnquiryListRenderer,
};

registry.category("views").add("serial_enquiry_list", serialEnquiryListView);
