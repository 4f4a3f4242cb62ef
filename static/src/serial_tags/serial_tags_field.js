/** @odoo-module **/
// Copyright 2026 product_serial_tracking contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
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
 *
 * A serial typed in that does not exist was never received: it is created
 * only once the user confirms, knowing it will be flagged for investigation.
 */
export class SerialTagsField extends Many2ManyTagsField {
    setup() {
        super.setup();
        this.action = useService("action");
        this.orm = useService("orm");
        if (this.quickCreate) {
            const create = this.quickCreate;
            this.quickCreate = (name) => this.confirmNewSerial(name, create);
        }
    }

    confirmNewSerial(name, create) {
        return new Promise((resolve) => {
            this.dialog.add(
                ConfirmationDialog,
                {
                    title: _t("Serial %s is not in stock", name),
                    body: _t(
                        "Serial %s was never received: it is not in stock. Create it " +
                            "anyway? It will be flagged for investigation when it " +
                            "leaves stock, and the stock managers will be asked to " +
                            "find out where it came from.",
                        name
                    ),
                    confirmLabel: _t("Create and flag it"),
                    confirm: async () => resolve(await create(name)),
                    cancel: () => resolve(),
                },
                { onClose: () => resolve() }
            );
        });
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
