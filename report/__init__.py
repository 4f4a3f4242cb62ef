from . import report_serial_history
