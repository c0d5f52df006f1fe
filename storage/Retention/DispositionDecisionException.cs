namespace Enforcement.Media.Storage.Retention;

/// <summary>A disposition step asked of an entry that does not allow it as it stands; nothing was changed.</summary>
public sealed class DispositionDecisionException(DispositionDecisionProblem problem, string message) : Exception(message)
{
    public DispositionDecisionProblem Problem { get; } = problem;
}

/// <summary>Why a disposition step was not taken.</summary>
public enum DispositionDecisionProblem
{
    /// <summary>The records manager who proposed the disposition asked to approve it: a second one must (audited).</summary>
    ProposerMayNotApprove,

    /// <summary>The recording already has an open proposal.</summary>
    AlreadyProposed,

    /// <summary>The entry is not a proposal waiting for its second records manager (not proposed yet, or decided).</summary>
    NotAwaitingDecision,
}
