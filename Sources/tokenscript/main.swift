import TokenScriptCommands

await TokenScriptCLI.runFromCommandLine()
