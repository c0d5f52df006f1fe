using System.Security.Cryptography;
using Enforcement.Media.Storage.Credentials;

namespace Enforcement.Media.Tests.Storage;

public sealed class SecretTokenTests
{
    [Fact]
    public void An_issued_credential_parses_back_to_its_id_and_the_hash_that_was_stored()
    {
        var id = Guid.CreateVersion7();

        var (text, stored) = SecretToken.UserToken.Issue(id);

        Assert.StartsWith("emu_", text, StringComparison.Ordinal);
        Assert.True(SecretToken.UserToken.TryParse(text, out var parsed, out var presented));
        Assert.Equal(id, parsed);
        Assert.True(SecretToken.Matches(presented, stored));
    }

    [Fact]
    public void A_station_key_is_not_a_user_token_nor_the_other_way_round()
    {
        var key = SecretToken.StationKey.Issue(Guid.NewGuid()).Text;
        var token = SecretToken.UserToken.Issue(Guid.NewGuid()).Text;

        Assert.False(SecretToken.UserToken.TryParse(key, out _, out _));
        Assert.False(SecretToken.StationKey.TryParse(token, out _, out _));
    }

    [Fact]
    public void A_user_token_in_the_earlier_padded_form_still_parses_to_the_same_secret()
    {
        var id = Guid.NewGuid();
        var secret = RandomNumberGenerator.GetBytes(32);
        var earlier = $"emu_{id:N}_{Convert.ToBase64String(secret).Replace('+', '-').Replace('/', '.')}";

        Assert.True(SecretToken.UserToken.TryParse(earlier, out var parsed, out var presented));
        Assert.Equal(id, parsed);
        Assert.True(SecretToken.Matches(presented, SHA256.HashData(secret)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("emu_00000000000000000000000000000000_AAAA")]
    [InlineData("emu_0197a7a0a0a07000800000000000000z_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY")]
    [InlineData("emu_0197a7a0a0a07000800000000000000a-QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY")]
    [InlineData("emu_0197a7a0a0a07000800000000000000a_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZW!")]
    [InlineData("emu_0197a7a0a0a07000800000000000000a_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWYx")]
    public void Anything_else_is_refused(string? text)
    {
        Assert.False(SecretToken.UserToken.TryParse(text, out _, out var presented));
        Assert.Null(presented);
    }
}
