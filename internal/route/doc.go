// Package route plans vehicle routes with time windows: which driver takes
// which deliveries, in which order, and when each arrives.
//
// It knows nothing of the store or the API. The caller turns its depots,
// volunteers and requests into a Problem (a travel-time Matrix from a
// TravelTimes, vehicles with capacities and shifts, jobs with windows,
// service times, penalties and perishable limits) and gets back a Solution:
// routes with their schedules, and the jobs left out with a Reason.
//
// Solve follows the strong open solvers (see the SISR paper, Christiaens &
// Vanden Berghe 2020, and VROOM): it builds a plan by cheapest insertion in
// order of due time, then repeats ruin and recreate (adjacent string
// removals around a random job, reinsertion in a random order with blinks)
// under simulated annealing, and polishes each new best with a local
// search over each job's nearest neighbours (or-opt, swap, 2-opt*,
// 2-opt). Feasibility of an insertion or a move is decided in constant
// time from per-position earliest starts, latest starts and prefix loads;
// only routes carrying perishables are walked, since the time from
// departure to a stop depends on how late the whole route can leave.
//
// Schedule times a given order (to refresh arrival estimates after each
// change to a run), and Sequence orders a fixed set of jobs for one
// vehicle, late if it must, for runs a coordinator assembles by hand.
package route
