"""Realistic Korean study logs for the benchmark, in the seed's shape.

Bodies are assembled from the sections of a daily log (오늘 한 일, 피어세션 요약, 멘토링 요약,
일일 회고, 내일 할 일) picked from pools by a seeded random generator, so every run builds the
same corpus: task lists with nested items, nested keyword lists, blockquotes, inline and display
math, fenced code and numbered mentoring questions. Pure: no Django, no database.
"""

from __future__ import annotations

import random

# Tags learners actually use: the cohort's, the kind's, and topics.
TOPIC_TAGS = [
    "pytorch",
    "transformer",
    "attention",
    "cnn",
    "rnn",
    "lstm",
    "optimizer",
    "코딩테스트",
    "논문리뷰",
    "데이터시각화",
    "자연어처리",
    "컴퓨터비전",
    "추천시스템",
    "mlops",
    "수학",
    "통계",
    "git",
    "linux",
    "docker",
    "kaggle",
]
COHORT_TAG = "부스트캠프AITech"

LECTURES = [
    "[DL Basic] Optimization",
    "[DL Basic] CNN 기초",
    "[DL Basic] Modern CNN",
    "[DL Basic] RNN과 LSTM",
    "[DL Basic] Transformer",
    "[DL Basic] Generative Models",
    "[PyTorch] Dataset과 DataLoader",
    "[PyTorch] 모델 저장과 불러오기",
    "[PyTorch] Multi-GPU 학습",
    "[PyTorch] Hyperparameter Tuning",
    "[AI Math] 경사하강법",
    "[AI Math] 확률론 맛보기",
    "[AI Math] 베이즈 통계학",
    "[Data Viz] Matplotlib 기초",
    "[Data Viz] Seaborn 심화",
    "[NLP] Word Embedding",
    "[NLP] Seq2Seq with Attention",
    "[CV] Semantic Segmentation",
    "[CV] Object Detection",
    "[RecSys] 협업 필터링",
]

KEYWORDS = [
    (
        "트랜스포머의 세 가지 multi-head attention",
        [
            "encoder의 self-attention은 입력 문장 안에서 단어끼리의 관계를 본다.",
            "decoder의 masked self-attention은 아직 생성하지 않은 뒤쪽 단어를 가린다.",
            "encoder-decoder attention에서 query는 decoder에서, key와 value는 encoder에서 온다.",
        ],
    ),
    (
        "LSTM의 장점",
        [
            "Vanilla RNN은 backward pass에서 같은 weight matrix가 계속 곱해져 **vanishing & exploding gradients** 문제가 생긴다.",
            "LSTM은 cell state를 **element-wise multiplication**으로 갱신해서 gradient가 덜 방해받는다.",
            "forget gate 값은 매 step마다 바뀌기 때문에 같은 값이 반복해서 곱해지지 않는다.",
        ],
    ),
    (
        "Optimizer 비교",
        [
            "**SGD**는 초기 `lr`에 민감하지만, flat한 minimum에 도달하는 경향이 있다.",
            "**Adam**은 adaptive learning rate로 수렴이 빠르다.",
            "실제로는 scheduler와 함께 여러 조합을 모두 실험해 본다.",
        ],
    ),
    (
        "Batch Normalization",
        [
            "mini-batch 단위로 평균과 분산을 맞춰 학습을 안정시킨다.",
            "inference 때는 학습 중 모아 둔 running mean과 running variance를 쓴다.",
            "batch size가 작으면 통계가 흔들려서 Group Norm이나 Layer Norm을 쓰기도 한다.",
        ],
    ),
    (
        "Dataset과 DataLoader",
        [
            "`__len__`과 `__getitem__`만 구현하면 map-style dataset이 된다.",
            "`num_workers`를 늘리면 데이터 로딩이 병렬로 돌지만 메모리를 더 쓴다.",
            "`collate_fn`으로 길이가 다른 시퀀스를 padding해서 묶을 수 있다.",
        ],
    ),
    (
        "Positional encoding",
        [
            "transformer는 순서 정보가 없어서 위치를 따로 더해 준다.",
            "sin, cos 함수로 만든 고정된 encoding도 있고, 학습 가능한 embedding도 있다.",
        ],
    ),
    (
        "ResNet의 skip connection",
        [
            "residual만 학습하면 되므로 깊은 네트워크도 학습이 잘 된다.",
            "ResNet, ResNeXt, Res2Net, ResNeSt처럼 계열 모델의 범용성이 좋다.",
        ],
    ),
    (
        "Data augmentation",
        [
            "MixUp은 두 이미지를 섞고 label도 같은 비율로 섞는다.",
            "CutMix는 이미지의 일부를 잘라 다른 이미지에 붙인다.",
            "어떤 방법이 효과적인지는 문제의 유형에 따라 다르다.",
        ],
    ),
    (
        "Transfer learning",
        [
            "source data와 target data의 domain이 비슷할수록 효과가 크다.",
            "target data가 적을수록 pretrained weight의 도움이 크다.",
            "언제 fine-tuning을 멈출지, 어디까지 freezing할지가 중요하다.",
        ],
    ),
    (
        "Seq2Seq와 Attention",
        [
            "encoder의 마지막 hidden state 하나에 모든 정보를 담는 bottleneck 문제가 있었다.",
            "attention은 decoder의 매 step에서 encoder의 모든 hidden state를 다시 본다.",
        ],
    ),
    (
        "협업 필터링",
        [
            "user-item 행렬에서 비슷한 사용자나 비슷한 아이템을 찾는다.",
            "행렬 분해(Matrix Factorization)는 희소한 행렬을 저차원 벡터의 곱으로 근사한다.",
        ],
    ),
    (
        "Object Detection 지표",
        [
            "IoU는 예측 박스와 정답 박스가 겹치는 정도다.",
            "mAP는 class별 average precision의 평균이다.",
        ],
    ),
]

FORMULAS_INLINE = [
    "$c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde{c}_t$",
    "$\\theta_{t+1} = \\theta_t - \\eta \\nabla_\\theta L$",
    "$P(A \\mid B) = \\frac{P(B \\mid A) P(A)}{P(B)}$",
    "$\\sigma(x) = \\frac{1}{1 + e^{-x}}$",
]
FORMULAS_DISPLAY = [
    "$$\n\\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}\\left(\\frac{QK^T}{\\sqrt{d_k}}\\right)V\n$$",
    "$$\nm_t = \\beta_1 m_{t-1} + (1 - \\beta_1) g_t\n$$",
    "$$\n\\hat{x} = \\frac{x - \\mu_B}{\\sqrt{\\sigma_B^2 + \\epsilon}}\n$$",
]

CODE_BLOCKS = [
    """```python
class CustomDataset(Dataset):
    def __init__(self, paths, transform=None):
        self.paths = paths
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        image = Image.open(self.paths[index]).convert("RGB")
        return self.transform(image) if self.transform else image
```""",
    """```python
def solution(n, edges):
    graph = [[] for _ in range(n + 1)]
    for a, b in edges:
        graph[a].append(b)
        graph[b].append(a)
    seen = [False] * (n + 1)
    stack = [1]
    while stack:
        node = stack.pop()
        if not seen[node]:
            seen[node] = True
            stack.extend(graph[node])
    return sum(seen)
```""",
    """```python
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=20)
for epoch in range(20):
    train_one_epoch(model, loader, optimizer)
    scheduler.step()
```""",
]

PROBLEMS = [
    "[BOJ] 원숭이 매달기",
    "[BOJ] 숨바꼭질",
    "[BOJ] 토마토",
    "[BOJ] 최단경로",
    "[프로그래머스] 네트워크",
    "[프로그래머스] 단어 변환",
    "[BOJ] 가장 긴 증가하는 부분 수열",
    "[BOJ] 연구소",
]

MENTORING_QA = [
    (
        "MHA의 각 attention head가 서로 다른 요소에 attention을 갖는 원리가 무엇인가요?",
        [
            "따로 원리가 있다기보다는, 실제로 해 보니 잘 된 것이라고 보면 된다.",
            "AI 분야에는 이런 경우가 은근히 많다.",
        ],
    ),
    (
        "SGD와 Adam 중 무엇을 먼저 써 봐야 하나요?",
        [
            "task마다 잘 되는 방법이 다르다. 여러 `lr`과 함께 둘 다 해 본다.",
            "스케줄러도 매우 중요하다.",
        ],
    ),
    (
        "논문은 어떻게 읽는 게 좋을까요?",
        [
            "abstract와 figure를 먼저 보고, 실험 결과에서 주장을 확인한다.",
            "구현이 공개되어 있으면 코드와 함께 읽는다.",
        ],
    ),
    (
        "현업에서는 모델을 처음부터 만드나요?",
        [
            "scratch부터 만들기보다는 transfer learning을 많이 쓴다.",
            "hyperparameter tuning은 아직 사람이 더 나은 경우가 많다.",
        ],
    ),
    (
        "overfitting을 어떻게 알아채나요?",
        [
            "train loss는 내려가는데 validation loss가 올라가기 시작하면 의심한다.",
            "augmentation, dropout, weight decay, early stopping을 차례로 써 본다.",
        ],
    ),
]

RETROSPECTIVES = [
    "정신이 없는 하루였다. 강의에서도, 피어세션에서도, 멘토링에서도 정보가 쏟아졌다. 실습을 하면서 많이 배운 것 같다. 아직 dimension 계산이 익숙하지 않아 허둥대지만 차근히 한 줄씩 뜯어보려 한다.",
    "과제 마감이 다가와서 하루 종일 코드를 붙잡고 있었다. 에러 메시지를 천천히 읽는 습관이 생긴 것 같아 뿌듯하다. 내일은 강의 진도를 더 나가야겠다.",
    "피어세션에서 서로 모르는 부분을 설명해 주다 보니 오히려 내가 더 많이 배웠다. 설명하려면 정확히 알아야 한다는 걸 다시 느꼈다.",
    "멘토님의 답변을 듣고 막연했던 부분이 정리됐다. 정답이 있는 문제보다 실험으로 확인해야 하는 문제가 많다는 게 신기하다.",
    "수식 유도가 생각보다 오래 걸렸다. 그래도 손으로 한 번 써 보니 코드가 왜 그렇게 생겼는지 이해가 된다. 주말에 복습하자.",
    "컨디션이 좋지 않아 계획한 만큼 하지 못했다. 무리하지 않고 꾸준히 하는 게 더 중요하다고 생각한다.",
]

QUOTES = [
    "> gradient가 모델의 끝인 **loss**에서 **cell state**까지 흘러가면서 방해를 덜 받는다.  \n> ⇒ ResNet의 skip connection == LSTM의 element-wise multiplication",
    "> 모델보다 데이터가 먼저다.  \n> 데이터를 충분히 들여다보고 나서 모델을 고르자.",
    "> 잘 될 것 같아서 시도해 본 것이 실제로 잘 된 케이스이다.",
]

COMMENTS = [
    "정리 감사합니다! 피어세션 때 이해가 안 됐던 부분이 풀렸어요.",
    "attention 부분 설명이 정말 깔끔하네요 👍",
    "수식까지 정리하셨네요. 저도 참고하겠습니다.",
    "내일 피어세션에서 이 부분 같이 얘기해 봐요.",
    "코드 예시가 도움이 됐어요. `num_workers`는 몇으로 두셨어요?",
    "저도 같은 부분에서 막혔는데, batch 차원을 먼저 확인하니까 풀렸어요.",
    "좋은 회고네요. 무리하지 말고 꾸준히 가요!",
    "멘토링 질문 정리해 주셔서 감사합니다.",
    "이 문제는 BFS로 푸는 게 더 빠르지 않을까요?",
    "논문 링크도 같이 남겨 주시면 좋겠어요.",
    "**skip connection** 비유가 와닿네요.",
    "과제 마감 전에 같이 리뷰해요 🙂",
]

SESSION_KEYWORDS_TITLE = "키워드 공유"


def _tasks(rng: random.Random, done: bool) -> list[str]:
    mark = "x" if done else " "
    lectures = rng.sample(LECTURES, rng.randint(2, 3))
    lines = [f"- [{mark}] 강의 수강 및 퀴즈"]
    lines += [f"    - {lecture}" for lecture in lectures]
    extra = rng.sample(
        [
            "기본 과제 완료",
            "심화 과제 진행",
            "멘토링 (논문 스터디)",
            "코딩테스트 문제 풀기",
            "오피스아워",
            "강의 복습 노트 정리",
        ],
        rng.randint(2, 4),
    )
    lines += [f"- [{mark if rng.random() < 0.8 else ' '}] {item}" for item in extra]
    return lines


def _keyword_block(rng: random.Random, keyword: tuple[str, list[str]], math: bool) -> list[str]:
    title, points = keyword
    lines = [f"- {title}"]
    for point in points:
        lines.append(f"    - {point}")
        if rng.random() < 0.35:
            lines.append("        - 이 부분은 피어세션에서 다시 이야기하기로 했다.")
    if math and rng.random() < 0.6:
        lines.append(f"    - 식으로 쓰면 {rng.choice(FORMULAS_INLINE)} 이다.")
    return lines


def daily_body(rng: random.Random, *, math: bool) -> str:
    """One daily log, 2–6 KB of Markdown in the seed's sections."""
    out = ["## **📝 오늘 한 일**", *_tasks(rng, done=True), "", "<br>", ""]
    out += ["## **👥 피어세션 요약**", f"### **{SESSION_KEYWORDS_TITLE}**"]
    for keyword in rng.sample(KEYWORDS, rng.randint(3, 9)):
        out += _keyword_block(rng, keyword, math)
    out.append("")
    out += [rng.choice(QUOTES), ""]
    if math:
        out += [rng.choice(FORMULAS_DISPLAY), ""]
    if rng.random() < 0.5:
        out += ["### **코딩테스트 스터디**", f"- {rng.choice(PROBLEMS)}", ""]
        if rng.random() < 0.6:
            out += [rng.choice(CODE_BLOCKS), ""]
    out += ["<br>", ""]
    if rng.random() < 0.6:
        out += ["## **🏫 멘토링 요약**"]
        for number, (question, answers) in enumerate(
            rng.sample(MENTORING_QA, rng.randint(1, 3)), start=1
        ):
            out.append(f"{number}. **{question}**")
            out += [f"    - {answer}" for answer in answers]
        out += ["", "<br>", ""]
    out += ["## **🐾 일일 회고**", " ".join(rng.sample(RETROSPECTIVES, rng.randint(1, 3))), ""]
    out += ["<br>", "", "## **🚀 내일 할 일**", *_tasks(rng, done=False), ""]
    return "\n".join(out)


def weekly_body(rng: random.Random) -> str:
    out = ["## **📅 이번 주에 한 일**"]
    out += [f"- {lecture}" for lecture in rng.sample(LECTURES, 4)]
    out += ["", "## **💡 이번 주에 배운 것**"]
    for keyword in rng.sample(KEYWORDS, 3):
        out += _keyword_block(rng, keyword, math=False)
    out += ["", "## **🐾 주간 회고**", " ".join(rng.sample(RETROSPECTIVES, 2)), ""]
    out += ["## **🚀 다음 주 목표**", "- [ ] 강의 진도 맞추기", "- [ ] 심화 과제 제출", ""]
    return "\n".join(out)


def peer_summary(rng: random.Random) -> str:
    out = [f"### {SESSION_KEYWORDS_TITLE}"]
    for keyword in rng.sample(KEYWORDS, 2):
        out += _keyword_block(rng, keyword, math=False)
    out += ["", "### 코딩테스트", f"- {rng.choice(PROBLEMS)}", ""]
    return "\n".join(out)


def mentoring_summary(rng: random.Random) -> str:
    out = ["### 멘토링 요약"]
    for number, (question, answers) in enumerate(rng.sample(MENTORING_QA, 2), start=1):
        out.append(f"{number}. **{question}**")
        out += [f"    - {answer}" for answer in answers]
    return "\n".join(out) + "\n"


def topic_tags(rng: random.Random) -> list[str]:
    return rng.sample(TOPIC_TAGS, rng.randint(1, 3))
