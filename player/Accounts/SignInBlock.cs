namespace Enforcement.Media.Player.Accounts;

/// <summary>A wait imposed on sign-ins: by which count (<c>source:…</c>, <c>pair:…</c>, <c>name:…</c>), after how many failures, until when.</summary>
public sealed record SignInBlock(string Key, int Failures, DateTimeOffset Until);
