from . import stock_lot_correction
from . import stock_lot_write_off
from . import stock_lot_retrospective_receipt
from . import stock_serial_import
from . import stock_lot_recall
