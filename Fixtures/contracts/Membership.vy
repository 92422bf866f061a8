#pragma version 0.4.3
#pragma evm-version prague
"""
@title Club membership (ERC-721 style) - test fixture for swift-tokenscript
@notice Our own contract with exactly the ABI in the ts:abi of
        TokenScripts/membership-2024.xml:
          getMember(uint256) -> (uint8 level, uint64 expiresAt, bool active,
                                 (uint32 visits, uint256 points) stats)
          join() payable -> uint256, joinPrice() -> uint256,
          renew(uint256 tokenId, uint16 months) payable,
          claimWithPass((bytes32,address,uint64,uint64,bytes) attestation,
                        bytes signature)
        plus ownerOf/balanceOf/Transfer so that it is a token.
@dev    claimWithPass checks a plain secp256k1 signature by `issuer` over
        keccak256(abi_encode(pass)); that is NOT the EAS EIP-712 digest,
        just enough to have a real signature check on chain.
@license MIT
"""

struct Stats:
    visits: uint32
    points: uint256

struct MemberInfo:
    level: uint8
    expiresAt: uint64   # unix seconds; 0 = lifetime membership
    active: bool
    stats: Stats

struct MemberPass:
    schema: bytes32
    recipient: address
    time: uint64
    expirationTime: uint64
    data: Bytes[256]

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    tokenId: indexed(uint256)

event Renewed:
    tokenId: indexed(uint256)
    months: uint16
    expiresAt: uint64

event Claimed:
    tokenId: indexed(uint256)
    passHash: indexed(bytes32)

MONTH: constant(uint64) = 30 * 86400
YEAR: constant(uint64) = 365 * 86400

name: public(String[32])
symbol: public(String[8])
admin: public(address)
issuer: public(address)
joinPrice: public(uint256)
renewPricePerMonth: public(uint256)
# Id that the next join()/claimWithPass()/mintMember() gets.
nextTokenId: public(uint256)
claimed: public(HashMap[bytes32, bool])

_owners: HashMap[uint256, address]
_balances: HashMap[address, uint256]
_members: HashMap[uint256, MemberInfo]


@deploy
def __init__():
    self.name = "Harbour Club Membership"
    self.symbol = "HCM"
    self.admin = msg.sender
    self.joinPrice = 5 * 10**16            # 0.05 ETH
    self.renewPricePerMonth = 4 * 10**15   # 0.004 ETH
    self.nextTokenId = 1


@view
@external
def supportsInterface(interfaceId: bytes4) -> bool:
    return interfaceId == 0x01ffc9a7 or interfaceId == 0x80ac58cd


@view
@external
def ownerOf(tokenId: uint256) -> address:
    owner: address = self._owners[tokenId]
    assert owner != empty(address), "Membership: unknown token"
    return owner


@view
@external
def balanceOf(owner: address) -> uint256:
    assert owner != empty(address), "Membership: zero address"
    return self._balances[owner]


@view
@external
def getMember(tokenId: uint256) -> MemberInfo:
    """
    @notice The member record: a tuple whose last member is a tuple.
    """
    assert self._owners[tokenId] != empty(address), "Membership: unknown token"
    return self._members[tokenId]


@internal
def _mint(receiver: address, info: MemberInfo) -> uint256:
    tokenId: uint256 = self.nextTokenId
    self.nextTokenId = tokenId + 1
    self._owners[tokenId] = receiver
    self._balances[receiver] += 1
    self._members[tokenId] = info
    log Transfer(sender=empty(address), receiver=receiver, tokenId=tokenId)
    return tokenId


@payable
@external
def join() -> uint256:
    """
    @notice Buy a one-year level-1 membership for joinPrice wei.
    """
    assert msg.value == self.joinPrice, "Membership: wrong price"
    return self._mint(msg.sender, MemberInfo(
        level=1,
        expiresAt=convert(block.timestamp, uint64) + YEAR,
        active=True,
        stats=Stats(visits=0, points=0)))


@payable
@external
def renew(tokenId: uint256, months: uint16):
    """
    @notice Extend by `months` x 30 days; msg.value = months x renewPricePerMonth.
    """
    assert self._owners[tokenId] == msg.sender, "Membership: not the member"
    assert months > 0, "Membership: no months"
    assert msg.value == convert(months, uint256) * self.renewPricePerMonth, "Membership: wrong price"
    info: MemberInfo = self._members[tokenId]
    assert info.expiresAt != 0, "Membership: lifetime"
    info.expiresAt += convert(months, uint64) * MONTH
    info.active = True
    self._members[tokenId] = info
    log Renewed(tokenId=tokenId, months=months, expiresAt=info.expiresAt)


@external
def claimWithPass(attestation: MemberPass, signature: Bytes[65]):
    """
    @notice Turn a pass signed by `issuer` into a membership token.
    """
    assert attestation.recipient == msg.sender, "Membership: not the recipient"
    assert attestation.expirationTime == 0 or convert(attestation.expirationTime, uint256) > block.timestamp, "Membership: pass expired"
    digest: bytes32 = keccak256(abi_encode(attestation))
    assert not self.claimed[digest], "Membership: pass already claimed"
    assert len(signature) == 65, "Membership: bad signature length"
    r: bytes32 = extract32(signature, 0)
    s: bytes32 = extract32(signature, 32)
    v: uint256 = convert(slice(signature, 64, 1), uint256)
    if v < 27:
        v += 27
    signer: address = ecrecover(digest, v, r, s)
    assert signer != empty(address) and signer == self.issuer, "Membership: bad signature"
    self.claimed[digest] = True
    tokenId: uint256 = self._mint(msg.sender, MemberInfo(
        level=1,
        expiresAt=attestation.expirationTime,
        active=True,
        stats=Stats(visits=0, points=0)))
    log Claimed(tokenId=tokenId, passHash=digest)


# ---- admin only ------------------------------------------------------------

@external
def mintMember(receiver: address, info: MemberInfo) -> uint256:
    assert msg.sender == self.admin, "Membership: not the admin"
    return self._mint(receiver, info)


@external
def setMember(tokenId: uint256, info: MemberInfo):
    assert msg.sender == self.admin, "Membership: not the admin"
    assert self._owners[tokenId] != empty(address), "Membership: unknown token"
    self._members[tokenId] = info


@external
def setIssuer(issuer: address):
    assert msg.sender == self.admin, "Membership: not the admin"
    self.issuer = issuer
