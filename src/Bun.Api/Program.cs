using Bun.Api;

await BunApiApp.Create(args).RunAsync();
