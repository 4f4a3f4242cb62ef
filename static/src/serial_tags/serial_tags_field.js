/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import {
    Many2ManyTagsField,
    many2ManyTagsField,
} from "@web/views/fields/many2many_tags/many2many_tags_field";

/**
 * The serials of an invoice line, as tags: a click on a tag opens that
 * serial's Serial Number Enquiry (its facts and its whole story). The server
 * checks that the user may read the serial.
 */
export class SerialTagsField extends Many2ManyTagsField {
    setup() {
        super.setup();
        this.action = useService("action");
        this.orm = useService("orm");
    }

    getTagProps(record) {
        const props = super.getTagProps(record);
        props.onClick = (ev) => this.openSerial(ev, record);
        return props;
    }

    async openSerial(ev, record) {
        if (!record.resId) {
            return;
        }
        ev.stopPropagation();
        const action = await this.orm.call("stock.lot", "action_serial_enquiry", [
            [record.resId],
        ]);
        await this.action.doAction(action);
    }
}

export const serialTagsField = {
    ...many2ManyTagsField,
    component: SerialTagsField,
};

registry.category("fields").add("serial_many2many_tags", serialTagsField);
