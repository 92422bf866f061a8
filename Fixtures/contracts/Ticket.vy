#pragma version 0.4.3
#pragma evm-version prague
"""
@title Event ticket (ERC-721) - test fixture for swift-tokenscript
@notice Our own minimal ERC-721 for the local test node; it is what
        TokenScripts/event-ticket-erc721.xml calls: ownerOf, isExpired,
        upgradeFee, redeem, upgrade and the Redeemed event.
        Not a complete ERC-721: no safeTransferFrom, no operators.
@dev    The token id packs the ticket data (most significant bits first):
          bits 255..224  eventId   uint32
          bits 223..192  venue     4 ASCII bytes
          bits 191..184  category  uint8 (1 VIP, 2 Standard, 3 Student)
          bits 183..168  seat      uint16
          bits 167..0    serial
        The contract only reads eventId (for expiry) and category (upgrade).
@license MIT
"""

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    tokenId: indexed(uint256)

event Approval:
    owner: indexed(address)
    approved: indexed(address)
    tokenId: indexed(uint256)

# Same types as the asnx:module "Redeemed" in the TokenScript:
# Redeemed(uint256 indexed tokenId, address indexed redeemer, uint16 gate)
event Redeemed:
    tokenId: indexed(uint256)
    redeemer: indexed(address)
    gate: uint16

event Upgraded:
    tokenId: indexed(uint256)
    holder: indexed(address)
    fee: uint256

name: public(String[32])
symbol: public(String[8])
minter: public(address)
# Wei to send with upgrade(tokenId); read by the TokenScript's upgradeFee attribute.
upgradeFee: public(uint256)
# The gate the scanners currently report; redeem() logs it.
gate: public(uint16)
# eventId => unix time at which its tickets expire (0: never).
eventEnds: public(HashMap[uint32, uint64])
redeemed: public(HashMap[uint256, bool])
upgraded: public(HashMap[uint256, bool])

_owners: HashMap[uint256, address]
_balances: HashMap[address, uint256]
_approvals: HashMap[uint256, address]

CATEGORY_VIP: constant(uint256) = 1


@deploy
def __init__():
    self.name = "Event Ticket"
    self.symbol = "TICKET"
    self.minter = msg.sender
    self.upgradeFee = 10**16  # 0.01 ETH
    self.gate = 1


@view
@external
def supportsInterface(interfaceId: bytes4) -> bool:
    # ERC-165 and ERC-721
    return interfaceId == 0x01ffc9a7 or interfaceId == 0x80ac58cd


@view
@external
def ownerOf(tokenId: uint256) -> address:
    owner: address = self._owners[tokenId]
    assert owner != empty(address), "Ticket: unknown token"
    return owner


@view
@external
def balanceOf(owner: address) -> uint256:
    assert owner != empty(address), "Ticket: zero address"
    return self._balances[owner]


@view
@external
def getApproved(tokenId: uint256) -> address:
    assert self._owners[tokenId] != empty(address), "Ticket: unknown token"
    return self._approvals[tokenId]


@view
@internal
def _eventIdOf(tokenId: uint256) -> uint32:
    return convert(tokenId >> 224, uint32)


@view
@internal
def _isExpired(tokenId: uint256) -> bool:
    if self.redeemed[tokenId]:
        return True
    ends: uint64 = self.eventEnds[self._eventIdOf(tokenId)]
    return ends != 0 and block.timestamp >= convert(ends, uint256)


@view
@external
def isExpired(tokenId: uint256) -> bool:
    """
    @notice True once the ticket was redeemed or its event is over.
            Reverts for a token that does not exist.
    """
    assert self._owners[tokenId] != empty(address), "Ticket: unknown token"
    return self._isExpired(tokenId)


@external
def approve(approved: address, tokenId: uint256):
    owner: address = self._owners[tokenId]
    assert owner == msg.sender, "Ticket: not the holder"
    self._approvals[tokenId] = approved
    log Approval(owner=owner, approved=approved, tokenId=tokenId)


@external
def transferFrom(sender: address, receiver: address, tokenId: uint256):
    owner: address = self._owners[tokenId]
    assert owner != empty(address), "Ticket: unknown token"
    assert owner == sender, "Ticket: wrong sender"
    assert msg.sender == owner or msg.sender == self._approvals[tokenId], "Ticket: not allowed"
    assert receiver != empty(address), "Ticket: zero address"
    self._approvals[tokenId] = empty(address)
    self._balances[sender] -= 1
    self._balances[receiver] += 1
    self._owners[tokenId] = receiver
    log Transfer(sender=sender, receiver=receiver, tokenId=tokenId)


@external
def redeem(tokenId: uint256):
    """
    @notice The holder redeems the ticket at the current gate.
    """
    assert self._owners[tokenId] == msg.sender, "Ticket: not the holder"
    assert not self._isExpired(tokenId), "Ticket: expired"
    self.redeemed[tokenId] = True
    log Redeemed(tokenId=tokenId, redeemer=msg.sender, gate=self.gate)


@payable
@external
def upgrade(tokenId: uint256):
    """
    @notice Paid upgrade to the VIP area; msg.value must equal upgradeFee.
    """
    assert self._owners[tokenId] == msg.sender, "Ticket: not the holder"
    assert msg.value == self.upgradeFee, "Ticket: wrong fee"
    assert (tokenId >> 184) & 255 != CATEGORY_VIP, "Ticket: already VIP"
    assert not self.upgraded[tokenId], "Ticket: already upgraded"
    self.upgraded[tokenId] = True
    log Upgraded(tokenId=tokenId, holder=msg.sender, fee=msg.value)


# ---- minter only -----------------------------------------------------------

@external
def mint(receiver: address, tokenId: uint256):
    assert msg.sender == self.minter, "Ticket: not the minter"
    assert receiver != empty(address), "Ticket: zero address"
    assert self._owners[tokenId] == empty(address), "Ticket: already minted"
    self._owners[tokenId] = receiver
    self._balances[receiver] += 1
    log Transfer(sender=empty(address), receiver=receiver, tokenId=tokenId)


@external
def setEventEnd(eventId: uint32, ends: uint64):
    assert msg.sender == self.minter, "Ticket: not the minter"
    self.eventEnds[eventId] = ends


@external
def setGate(gate: uint16):
    assert msg.sender == self.minter, "Ticket: not the minter"
    self.gate = gate


@external
def setUpgradeFee(fee: uint256):
    assert msg.sender == self.minter, "Ticket: not the minter"
    self.upgradeFee = fee
