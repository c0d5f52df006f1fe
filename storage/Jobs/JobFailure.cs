namespace Enforcement.Media.Storage.Jobs;

public enum JobFailure
{
    WillRetry,
    GaveUp,
    LeaseLost,
}
