"""The model's processes, one module each; see ``base.Process`` for what a process is.

``PROCESSES`` fixes their order: the order in which they react to the same event, and the order
of their columns in a run's table. A scenario uses the processes whose ``used`` says so.
"""

from sim.model.processes.air_basing import AirBasing
from sim.model.processes.blockade_judgement import BlockadeJudgement
from sim.model.processes.convoys import Convoys
from sim.model.processes.crisis_endings import CrisisEndings
from sim.model.processes.invasion_campaign import InvasionCampaign
from sim.model.processes.island_garrison import IslandGarrison
from sim.model.processes.japan_legal import JapanLegal
from sim.model.processes.prc_costs import PrcCosts
from sim.model.processes.shipping import Shipping
from sim.model.processes.taiwan_energy import TaiwanEnergy
from sim.model.processes.us_legal import USLegal
from sim.model.processes.us_politics import USPolitics

# IslandGarrison after CrisisEndings: it wraps the horizon outcome CrisisEndings sets.
PROCESSES = (Shipping, TaiwanEnergy, InvasionCampaign, Convoys, BlockadeJudgement,
             CrisisEndings, IslandGarrison, JapanLegal, USLegal, USPolitics, AirBasing, PrcCosts)
