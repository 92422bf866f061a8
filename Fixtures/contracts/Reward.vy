#pragma version 0.4.3
#pragma evm-version prague
"""
@title Reward points (ERC-20) - test fixture for swift-tokenscript
@notice Our own small ERC-20 with what TokenScripts/reward-token-erc20.xml
        calls: symbol, decimals, balanceOf, transfer, stakeFee and
        stake(uint256) (payable, the fee in wei is msg.value).
@license MIT
"""

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

event Staked:
    staker: indexed(address)
    amount: uint256
    total: uint256

name: public(String[32])
symbol: public(String[8])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
minter: public(address)
# Wei that stake() expects as msg.value.
stakeFee: public(uint256)
# Points locked by stake(); they leave balanceOf.
staked: public(HashMap[address, uint256])


@deploy
def __init__():
    self.name = "Reward Point"
    self.symbol = "RWD"
    self.decimals = 18
    self.minter = msg.sender
    self.stakeFee = 5 * 10**14  # 0.0005 ETH


@internal
def _transfer(sender: address, receiver: address, amount: uint256):
    assert receiver != empty(address), "Reward: zero address"
    assert self.balanceOf[sender] >= amount, "Reward: balance too low"
    self.balanceOf[sender] -= amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=sender, receiver=receiver, value=amount)


@external
def transfer(receiver: address, amount: uint256) -> bool:
    self._transfer(msg.sender, receiver, amount)
    return True


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@external
def transferFrom(sender: address, receiver: address, amount: uint256) -> bool:
    assert self.allowance[sender][msg.sender] >= amount, "Reward: allowance too low"
    self.allowance[sender][msg.sender] -= amount
    self._transfer(sender, receiver, amount)
    return True


@payable
@external
def stake(amount: uint256) -> uint256:
    """
    @notice Lock `amount` points; returns the caller's new staked total.
    """
    assert msg.value == self.stakeFee, "Reward: wrong fee"
    assert amount > 0, "Reward: nothing to stake"
    assert self.balanceOf[msg.sender] >= amount, "Reward: balance too low"
    self.balanceOf[msg.sender] -= amount
    total: uint256 = self.staked[msg.sender] + amount
    self.staked[msg.sender] = total
    log Staked(staker=msg.sender, amount=amount, total=total)
    return total


@external
def mint(receiver: address, amount: uint256):
    assert msg.sender == self.minter, "Reward: not the minter"
    assert receiver != empty(address), "Reward: zero address"
    self.totalSupply += amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=empty(address), receiver=receiver, value=amount)
