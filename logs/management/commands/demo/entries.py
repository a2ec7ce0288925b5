"""Short demo logs around the seed example, in the seed's shape (Korean, realistic)."""

import datetime as dt

# (source key, author, date, kind, visibility, tags, title or None for the calendar's, body)
ENTRIES = [
    (
        "seed_demo/learner/2022-02-04",
        "learner",
        dt.date(2022, 2, 4),
        "daily",
        "cohort",
        ["부스트캠프AITech", "daily-log", "week03", "lv1-u-stage"],
        None,
        """## **📝 오늘 한 일**
- [x] 강의 수강 및 퀴즈
    - [DL Basic] 3, 4강
- [x] 기본 과제 1 제출
- [x] 피어세션

<br>

## **👥 피어세션 요약**
### **키워드 공유**
- Optimizer: SGD, Momentum, Adam의 차이
- Regularization: dropout, weight decay

<br>

## **🐾 일일 회고**
설 연휴가 끝나고 다시 시작하니 리듬을 되찾는 데 시간이 걸렸다. 그래도 과제는 마감 전에 냈다.

<br>

## **🚀 내일 할 일**
- [x] 주간 회고 작성
- [ ] CNN 복습
""",
    ),
    (
        "seed_demo/learner/2022-02-08",
        "learner",
        dt.date(2022, 2, 8),
        "daily",
        "private",
        ["부스트캠프AITech", "daily-log", "week04", "lv1-u-stage"],
        None,
        """## **📝 오늘 한 일**
- [x] 강의 수강
    - [DL Basic] 5, 6강 (RNN, LSTM)
- [ ] 심화 과제 transfer learning

<br>

## **👥 피어세션 요약**
### **키워드 공유**
- Sequential model과 Markov assumption
- LSTM의 gate 세 개: forget, input, output

<br>

## **🐾 일일 회고**
LSTM 식이 처음엔 복잡해 보였는데, gate 하나씩 그려 보니 이해가 됐다.
나만 보려고 남기는 메모: 수식 유도는 주말에 다시.

<br>

## **🚀 내일 할 일**
- [ ] 강의 수강
    - [DL Basic] 7, 8강 실습
- [ ] 멘토링 질문 정리
""",
    ),
    (
        "seed_demo/learner2/2022-02-08",
        "learner2",
        dt.date(2022, 2, 8),
        "daily",
        "public",
        ["부스트캠프AITech", "daily-log", "week04"],
        None,
        """## **📝 오늘 한 일**
- [x] [DL Basic] 5, 6강
- [x] BOJ 2346 풍선 터뜨리기

<br>

## **👥 피어세션 요약**
- RNN의 hidden state가 이전 정보를 얼마나 오래 기억하는지 토론
- 코딩테스트: deque로 원형 큐를 구현하는 방법

```python
from collections import deque

queue = deque(enumerate(map(int, input().split()), start=1))
queue.rotate(-1)
```

<br>

## **🐾 일일 회고**
공개로 올리는 첫 기록! 피어세션에서 나온 deque 풀이가 깔끔해서 기록해 둔다.

<br>

## **🚀 내일 할 일**
- [ ] 멘토링 준비
""",
    ),
    (
        "seed_demo/learner2/2022-02-09",
        "learner2",
        dt.date(2022, 2, 9),
        "daily",
        "cohort",
        ["부스트캠프AITech", "daily-log", "week04", "lv1-u-stage"],
        None,
        """## **📝 오늘 한 일**
- [x] 멘토링 (논문 스터디)
- [x] [DL Basic] Transformer 강의

<br>

## **🏫 멘토링 요약**
1. **Positional encoding은 꼭 sin, cos이어야 하나?**
    - 학습 가능한 embedding을 써도 된다. 다만 sin, cos은 길이에 일반화가 쉽다.

<br>

## **🐾 일일 회고**
Attention의 $\\text{softmax}(QK^T / \\sqrt{d_k})V$ 한 줄이 이렇게 많은 걸 담고 있을 줄이야.

<br>

## **🚀 내일 할 일**
- [ ] Data Viz 강의
""",
    ),
    (
        "seed_demo/learner/2022-02-10-note",
        "learner",
        dt.date(2022, 2, 10),
        "note",
        "public",
        ["paper-review", "transformer"],
        "Attention Is All You Need 정리",
        """## 한 줄 요약
RNN 없이 attention만으로 sequence를 처리한다.[^paper]

> 블로그(Chirpy)에서 가져온 글도 그대로 보여요: 알림 상자, 수식, 접은 글, 영상.
{: .prompt-tip }

## Scaled dot-product attention

$$
\\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}\\left(\\frac{QK^T}{\\sqrt{d_k}}\\right)V
$$

- $d_k$가 커지면 내적 값이 커져 softmax의 gradient가 작아지므로 $ \\sqrt{d_k} $로 나눈다.

<details>
<summary>왜 내적이 커지면 gradient가 작아질까?</summary>

softmax의 입력 차이가 크면 출력이 one-hot에 가까워지고, 그 근처에서 기울기는 0에 가깝다.

</details>

## Multi-head attention

| head 수 | $d_k$ | 비고 |
| ---: | :---: | --- |
| 8 | 64 | base 모델 |
| 16 | 64 | big 모델 |

```python
scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)  # 점수
weights = scores.softmax(dim=-1)
```
{: file="attention.py" }

{% include embed/youtube.html id='iDulhoQ2pro' %}

[^paper]: Vaswani et al., *Attention Is All You Need*, NeurIPS 2017.
""",
    ),
]
