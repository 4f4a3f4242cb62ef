from . import product_template
from . import stock_lot
from . import stock_picking
from . import account_move
from . import account_move_line
from . import stock_move
from . import stock_move_line
from . import stock_scrap
