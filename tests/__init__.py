from . import test_tracking_conversion
from . import test_serial_names
from . import test_serial_unique
from . import test_serial_history_guard
from . import test_receipt_duplicates
from . import test_demo_data
