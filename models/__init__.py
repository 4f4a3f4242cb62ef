from . import product_template
from . import stock_lot
from . import stock_picking
