import TokenScriptCommands

await TokenScriptCLI.runFromCommandLine(commit: buildCommit)
