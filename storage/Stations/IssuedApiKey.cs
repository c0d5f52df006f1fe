namespace Enforcement.Media.Storage.Stations;

/// <summary>A key just created, with its token: the only moment the token exists outside its holder.</summary>
public sealed record IssuedApiKey(ApiKey Key, string Token);
