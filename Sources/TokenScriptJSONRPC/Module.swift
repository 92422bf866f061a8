// The JSON-RPC ChainClient over HTTP (issue 4).
