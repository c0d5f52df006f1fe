namespace Enforcement.Media.Player.Refusals;

/// <summary>
/// Why a service refused a request, in the domain's terms; the web layer chooses the HTTP answer
/// (<see cref="RefusalStatus"/>), so services never speak in status codes.
/// </summary>
public enum Refusal
{
    /// <summary>The input is wrong (a field names what to fix).</summary>
    Invalid,

    /// <summary>The caller may see the thing but not do this with it (role, approval, someone else's).</summary>
    NotAllowed,

    /// <summary>No such thing among what the caller may see (unknown and hidden answer alike).</summary>
    NotFound,

    /// <summary>The thing is not in a state that allows it (already decided, nothing made yet).</summary>
    Conflict,

    /// <summary>It was there and is over for good (a session ended, a package downloaded, footage disposed of).</summary>
    Gone,

    /// <summary>The service cannot do this as it is set up or as things stand (no signing key, the ledger unwritable).</summary>
    Unavailable,
}
