using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Storage.Retention;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// A disposition step the queue refused as it stands (<see cref="DispositionDecisionException"/>): the records
/// manager who proposed it asking to approve it (not allowed), a second proposal, a decision on an entry
/// that is not an open proposal (conflicts). Nothing was changed.
/// </summary>
public sealed class DispositionRefusedException(DispositionDecisionException refused)
    : RefusedException(refused.Problem == DispositionDecisionProblem.ProposerMayNotApprove ? Refusal.NotAllowed : Refusal.Conflict, refused.Message, null);
