from . import stock_lot_history
from . import report_serial_history
